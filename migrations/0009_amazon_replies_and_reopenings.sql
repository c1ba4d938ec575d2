CREATE TABLE "filing_replies" (
	"id" text PRIMARY KEY NOT NULL,
	"filing_id" text NOT NULL,
	"user_id" text NOT NULL,
	"case_id" text NOT NULL,
	"text" text NOT NULL,
	"text_hash" text NOT NULL,
	"outcome" text NOT NULL,
	"reading" jsonb NOT NULL,
	"effects" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "filings_case";--> statement-breakpoint
DROP INDEX "rejections_claim_case";--> statement-breakpoint
ALTER TABLE "filings" ADD COLUMN "reopens_case_id" text;--> statement-breakpoint
ALTER TABLE "rejections" ADD COLUMN "round_key" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "filing_replies_once" ON "filing_replies" USING btree ("filing_id","text_hash");--> statement-breakpoint
CREATE INDEX "filing_replies_case" ON "filing_replies" USING btree ("case_id","received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "filings_case" ON "filings" USING btree ("case_id") WHERE "filings"."reopens_case_id" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "rejections_claim_case" ON "rejections" USING btree ("claim_id","case_id","round_key");