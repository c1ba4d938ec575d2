CREATE TABLE "removal_receipt_answers" (
	"user_id" text NOT NULL,
	"shipment_id" text NOT NULL,
	"order_id" text NOT NULL,
	"sku" text NOT NULL,
	"tracking_number" text NOT NULL,
	"answer" text NOT NULL,
	"shipped" integer NOT NULL,
	"received" integer NOT NULL,
	"answered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "removal_receipt_answers_user_id_shipment_id_pk" PRIMARY KEY("user_id","shipment_id")
);
