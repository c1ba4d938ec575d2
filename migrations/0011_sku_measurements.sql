CREATE TABLE "sku_measurements" (
	"user_id" text NOT NULL,
	"sku" text NOT NULL,
	"length_mm" integer NOT NULL,
	"width_mm" integer NOT NULL,
	"height_mm" integer NOT NULL,
	"weight_g" integer NOT NULL,
	"photo_file_ids" jsonb NOT NULL,
	"prompt_id" text,
	"measured_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sku_measurements_user_id_sku_pk" PRIMARY KEY("user_id","sku"),
	CONSTRAINT "sku_measurements_positive" CHECK ("sku_measurements"."length_mm" > 0 AND "sku_measurements"."width_mm" > 0 AND "sku_measurements"."height_mm" > 0 AND "sku_measurements"."weight_g" > 0)
);
