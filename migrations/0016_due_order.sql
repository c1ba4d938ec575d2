DROP INDEX "phase_events_due";--> statement-breakpoint
CREATE INDEX "phase_events_due_order" ON "phase_events" USING btree ("run_after","seq") WHERE status = 'pending';