DROP INDEX "filings_case";--> statement-breakpoint
CREATE UNIQUE INDEX "filings_case" ON "filings" USING btree ("user_id","case_id") WHERE "filings"."reopens_case_id" IS NULL;