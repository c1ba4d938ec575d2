CREATE TABLE "billing_customers" (
	"user_id" text PRIMARY KEY NOT NULL,
	"customer_ref" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing_events" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "claim_evidence" (
	"claim_id" text NOT NULL,
	"file_id" text NOT NULL,
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	"item_ids" jsonb NOT NULL,
	"units" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "claim_evidence_claim_id_file_id_pk" PRIMARY KEY("claim_id","file_id")
);
--> statement-breakpoint
CREATE TABLE "evidence_blobs" (
	"sha256" text PRIMARY KEY NOT NULL,
	"bytes" "bytea" NOT NULL,
	"size_bytes" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evidence_files" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"sha256" text NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"report" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evidence_items" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"file_id" text NOT NULL,
	"user_id" text NOT NULL,
	"line_no" integer NOT NULL,
	"document_ref" text,
	"supplier" text,
	"sku" text,
	"product_name" text,
	"quantity" integer,
	"unit_cost_minor" bigint,
	"currency" text,
	"date" date,
	"raw" jsonb
);
--> statement-breakpoint
CREATE TABLE "fee_charges" (
	"payout_id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"claim_id" text NOT NULL,
	"case_id" text NOT NULL,
	"kind" text NOT NULL,
	"reverses_payout_id" text,
	"reimbursed_minor" bigint NOT NULL,
	"fee_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"rate_bp" integer NOT NULL,
	"status" text NOT NULL,
	"stripe_ref" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "filings" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"channel" text NOT NULL,
	"case_id" text,
	"status" text NOT NULL,
	"claim_ids" jsonb NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"attachments" jsonb NOT NULL,
	"filed_on" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"filed_at" timestamp with time zone,
	"last_checked_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"follow_up_at" timestamp with time zone,
	"follow_up_reason" text
);
--> statement-breakpoint
CREATE TABLE "learning_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"claim_type" text NOT NULL,
	"profile" text NOT NULL,
	"claim_id" text NOT NULL,
	"case_id" text NOT NULL,
	"outcome" text NOT NULL,
	"reason_code" text,
	"approved_after" integer NOT NULL,
	"rejected_after" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "learning_stats" (
	"claim_type" text NOT NULL,
	"profile" text NOT NULL,
	"approved" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "learning_stats_claim_type_profile_pk" PRIMARY KEY("claim_type","profile")
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"journal_id" text NOT NULL,
	"user_id" text NOT NULL,
	"account" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"claim_id" text,
	"payout_id" text,
	"memo" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "prompts" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"claim_id" text NOT NULL,
	"status" text NOT NULL,
	"asks" jsonb NOT NULL,
	"answer" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "proof_packets" (
	"claim_id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"payout_id" text NOT NULL,
	"sha256" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"size_bytes" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reimbursements" (
	"user_id" text NOT NULL,
	"reimbursement_id" text NOT NULL,
	"line_key" text NOT NULL,
	"case_id" text,
	"claim_id" text,
	"kind" text NOT NULL,
	"reason" text,
	"sku" text,
	"fnsku" text,
	"quantity" integer,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"approval_date" timestamp with time zone,
	"original_reimbursement_id" text,
	"attributed" boolean NOT NULL,
	"raw" jsonb,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reimbursements_user_id_reimbursement_id_line_key_pk" PRIMARY KEY("user_id","reimbursement_id","line_key")
);
--> statement-breakpoint
CREATE TABLE "rejections" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"claim_id" text NOT NULL,
	"case_id" text NOT NULL,
	"reason_code" text NOT NULL,
	"raw_text" text,
	"action" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "claims_case";--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "filing_id" text;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "score" jsonb;--> statement-breakpoint
CREATE INDEX "claim_evidence_file" ON "claim_evidence" USING btree ("file_id");--> statement-breakpoint
CREATE UNIQUE INDEX "evidence_files_user_sha" ON "evidence_files" USING btree ("user_id","sha256");--> statement-breakpoint
CREATE INDEX "evidence_files_user" ON "evidence_files" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "evidence_items_user_sku" ON "evidence_items" USING btree ("user_id","sku");--> statement-breakpoint
CREATE INDEX "evidence_items_file" ON "evidence_items" USING btree ("file_id");--> statement-breakpoint
CREATE INDEX "fee_charges_user" ON "fee_charges" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "filings_case" ON "filings" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "filings_user_day" ON "filings" USING btree ("user_id","filed_on");--> statement-breakpoint
CREATE INDEX "filings_open" ON "filings" USING btree ("status","last_checked_at");--> statement-breakpoint
CREATE UNIQUE INDEX "learning_history_once" ON "learning_history" USING btree ("claim_id","case_id","outcome");--> statement-breakpoint
CREATE INDEX "learning_history_type" ON "learning_history" USING btree ("claim_type","id");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_entries_journal_account" ON "ledger_entries" USING btree ("journal_id","account");--> statement-breakpoint
CREATE INDEX "ledger_entries_user" ON "ledger_entries" USING btree ("user_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "prompts_one_open_per_claim" ON "prompts" USING btree ("claim_id") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "prompts_user" ON "prompts" USING btree ("user_id","status");--> statement-breakpoint
CREATE INDEX "reimbursements_case" ON "reimbursements" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "reimbursements_claim" ON "reimbursements" USING btree ("claim_id");--> statement-breakpoint
CREATE UNIQUE INDEX "rejections_claim_case" ON "rejections" USING btree ("claim_id","case_id");--> statement-breakpoint
CREATE INDEX "rejections_user" ON "rejections" USING btree ("user_id","at");--> statement-breakpoint
CREATE INDEX "claims_filing" ON "claims" USING btree ("filing_id");--> statement-breakpoint
CREATE INDEX "claims_case" ON "claims" USING btree ("case_id");