-- report_lines' key, narrowed: a number per seller and source (report_streams) and a 16-byte hash
-- (uuid), instead of two texts and a 32-character text hash. Each stored line's hash keeps its first
-- 16 bytes (the old text was the base64url of 24), so a line synced again still meets its row.
CREATE TABLE "report_streams" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"source" text NOT NULL,
	CONSTRAINT "report_streams_user_source" UNIQUE("user_id","source")
);
--> statement-breakpoint
INSERT INTO "report_streams" ("user_id", "source")
SELECT DISTINCT "user_id", "source" FROM "report_lines" ORDER BY 1, 2;--> statement-breakpoint
-- The stream is looked up by a function so that the one ALTER below fills it and converts the hash
-- in a single rewrite of the table (an UPDATE would write every row a second time).
CREATE FUNCTION "clario_0017_stream_of"(u text, s text) RETURNS integer LANGUAGE sql STABLE
  AS $$ SELECT "id" FROM "report_streams" WHERE "user_id" = u AND "source" = s $$;--> statement-breakpoint
ALTER TABLE "report_lines" DROP CONSTRAINT "report_lines_user_id_source_line_hash_pk";--> statement-breakpoint
ALTER TABLE "report_lines" ADD COLUMN "stream_id" integer;--> statement-breakpoint
ALTER TABLE "report_lines"
  ALTER COLUMN "stream_id" SET DATA TYPE integer USING "clario_0017_stream_of"("user_id", "source"),
  ALTER COLUMN "stream_id" SET NOT NULL,
  ALTER COLUMN "line_hash" SET DATA TYPE uuid USING CASE WHEN "line_hash" ~ '^[A-Za-z0-9_-]{32}$'
    THEN encode(substring(decode(translate("line_hash", '-_', '+/'), 'base64') FOR 16), 'hex')::uuid
    -- Not a hash Clario wrote (a row put in by hand): still one key per text.
    ELSE md5("line_hash")::uuid END,
  ADD CONSTRAINT "report_lines_stream_hash_pk" PRIMARY KEY("stream_id","line_hash");--> statement-breakpoint
DROP FUNCTION "clario_0017_stream_of"(text, text);
