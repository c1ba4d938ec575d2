ALTER TABLE "notification_addresses" ADD COLUMN "verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notification_addresses" ADD COLUMN "token_hash" text;--> statement-breakpoint
ALTER TABLE "notification_addresses" ADD COLUMN "confirmation_sealed" text;--> statement-breakpoint
ALTER TABLE "notification_addresses" ADD COLUMN "confirmation_mailed_at" timestamp with time zone;