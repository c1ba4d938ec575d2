CREATE TABLE "fee_batches" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"currency" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"payout_ids" jsonb NOT NULL,
	"status" text NOT NULL,
	"stripe_ref" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "fee_charges" ADD COLUMN "batch_id" text;--> statement-breakpoint
ALTER TABLE "reimbursements" ADD COLUMN "unmatched_reason" text;--> statement-breakpoint
CREATE INDEX "fee_batches_user" ON "fee_batches" USING btree ("user_id","currency");