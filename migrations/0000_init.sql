CREATE TABLE "amazon_connections" (
	"user_id" text PRIMARY KEY NOT NULL,
	"selling_partner_id" text NOT NULL,
	"region" text NOT NULL,
	"marketplace_ids" jsonb NOT NULL,
	"refresh_token" text NOT NULL,
	"status" text NOT NULL,
	"last_error" jsonb,
	"connected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "claims" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"sync_id" text,
	"type" text NOT NULL,
	"status" text NOT NULL,
	"amount_minor" bigint,
	"currency" text,
	"quantity" integer,
	"deadline" date,
	"confidence" real,
	"case_id" text,
	"details" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "effects" (
	"key" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"event_id" text,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"request" jsonb,
	"response" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oauth_states" (
	"state_hash" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"event_id" text,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "phase_audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"phase" smallint NOT NULL,
	"user_id" text NOT NULL,
	"sync_id" text,
	"claim_id" text,
	"lane" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"attempt" integer NOT NULL,
	"worker_id" text,
	"duration_ms" integer,
	"error" jsonb,
	"data" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "phase_events" (
	"id" text PRIMARY KEY NOT NULL,
	"seq" bigserial NOT NULL,
	"idempotency_key" text NOT NULL,
	"request_hash" text NOT NULL,
	"phase" smallint NOT NULL,
	"user_id" text NOT NULL,
	"seller_id" text,
	"sync_id" text,
	"claim_id" text,
	"case_id" text,
	"lane" text NOT NULL,
	"payload" jsonb NOT NULL,
	"source" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer NOT NULL,
	"run_after" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_by" text,
	"locked_until" timestamp with time zone,
	"dispatched_until" timestamp with time zone,
	"last_error" jsonb,
	"result" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "report_lines" (
	"user_id" text NOT NULL,
	"source" text NOT NULL,
	"line_hash" text NOT NULL,
	"seq" bigserial NOT NULL,
	"line" text NOT NULL,
	"sync_id" text NOT NULL,
	"document_id" text NOT NULL,
	"line_no" integer NOT NULL,
	CONSTRAINT "report_lines_user_id_source_line_hash_pk" PRIMARY KEY("user_id","source","line_hash")
);
--> statement-breakpoint
CREATE TABLE "sync_progress" (
	"lane" text NOT NULL,
	"phase" smallint NOT NULL,
	"user_id" text NOT NULL,
	"sync_id" text,
	"claim_id" text,
	"event_id" text NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"progress" jsonb,
	"last_error" jsonb,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_progress_lane_phase_pk" PRIMARY KEY("lane","phase")
);
--> statement-breakpoint
CREATE TABLE "sync_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"seller_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_sources" (
	"sync_id" text NOT NULL,
	"source" text NOT NULL,
	"user_id" text NOT NULL,
	"status" text NOT NULL,
	"header" text,
	"document_id" text,
	"rows" integer DEFAULT 0 NOT NULL,
	"new_rows" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_sources_sync_id_source_pk" PRIMARY KEY("sync_id","source")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "amazon_connections_partner" ON "amazon_connections" USING btree ("selling_partner_id");--> statement-breakpoint
CREATE INDEX "claims_user" ON "claims" USING btree ("user_id","status");--> statement-breakpoint
CREATE INDEX "claims_deadline" ON "claims" USING btree ("deadline");--> statement-breakpoint
CREATE UNIQUE INDEX "claims_case" ON "claims" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "outbox_unpublished" ON "outbox" USING btree ("seq") WHERE published_at IS NULL;--> statement-breakpoint
CREATE INDEX "outbox_user" ON "outbox" USING btree ("user_id","seq");--> statement-breakpoint
CREATE INDEX "outbox_event" ON "outbox" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "phase_audit_user" ON "phase_audit" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "phase_audit_sync" ON "phase_audit" USING btree ("sync_id","id");--> statement-breakpoint
CREATE INDEX "phase_audit_claim" ON "phase_audit" USING btree ("claim_id","id");--> statement-breakpoint
CREATE INDEX "phase_audit_event" ON "phase_audit" USING btree ("event_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "phase_events_idempotency_key" ON "phase_events" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "phase_events_due" ON "phase_events" USING btree ("run_after") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "phase_events_running" ON "phase_events" USING btree ("locked_until") WHERE status = 'running';--> statement-breakpoint
CREATE UNIQUE INDEX "phase_events_one_running_per_lane" ON "phase_events" USING btree ("lane") WHERE status = 'running';--> statement-breakpoint
CREATE INDEX "phase_events_failed" ON "phase_events" USING btree ("updated_at") WHERE status = 'failed';--> statement-breakpoint
CREATE INDEX "phase_events_user" ON "phase_events" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "report_lines_order" ON "report_lines" USING btree ("user_id","source","seq");--> statement-breakpoint
CREATE INDEX "sync_progress_user" ON "sync_progress" USING btree ("user_id","sync_id");--> statement-breakpoint
CREATE INDEX "sync_runs_user" ON "sync_runs" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "sync_sources_user" ON "sync_sources" USING btree ("user_id","source");