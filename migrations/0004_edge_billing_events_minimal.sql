ALTER TABLE "billing_events" ADD COLUMN "created_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "billing_events" ADD COLUMN "object_ref" text;--> statement-breakpoint
ALTER TABLE "billing_events" ADD COLUMN "payout_id" text;--> statement-breakpoint
-- Hand-written (edge, issue 14 item 11): keep what is still needed from events stored whole before
-- (when Stripe created them, and the payout they settled), then the raw bodies go with the column.
-- The object ids cannot be sealed in SQL (no key here); fee_charges already holds them sealed.
UPDATE "billing_events" SET
  "created_at" = CASE WHEN ("payload"->>'created') ~ '^[0-9]{1,12}$' THEN to_timestamp(("payload"->>'created')::bigint) END,
  "payout_id" = "payload"->'data'->'object'->'metadata'->>'payout_id';--> statement-breakpoint
ALTER TABLE "billing_events" DROP COLUMN "payload";