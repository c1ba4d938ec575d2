DROP INDEX "phase_events_running";--> statement-breakpoint
DROP INDEX "phase_events_user";--> statement-breakpoint
DROP INDEX "phase_audit_sync";--> statement-breakpoint
DROP INDEX "phase_audit_claim";--> statement-breakpoint
CREATE INDEX "phase_events_failed_user" ON "phase_events" USING btree ("user_id","updated_at") WHERE status = 'failed';--> statement-breakpoint
CREATE INDEX "phase_events_user_syncs" ON "phase_events" USING btree ("user_id","created_at") WHERE phase = 1;--> statement-breakpoint
CREATE INDEX "phase_audit_sync" ON "phase_audit" USING btree ("sync_id","id") WHERE sync_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "phase_audit_claim" ON "phase_audit" USING btree ("claim_id","id") WHERE claim_id IS NOT NULL;