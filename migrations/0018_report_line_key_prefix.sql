-- report_lines' key starts with 4 bytes of the SHA-256 of the line's first field (most reports'
-- date), then 12 bytes of the line's own hash, instead of 16 bytes of the line's hash alone: the
-- lines of one day share a stretch of the key's index, so a sync's batch (a few days of lines)
-- lands on a few pages of it instead of one random page per line. Each stored key keeps the first
-- 12 bytes it had, so a line synced again still meets its row (store-lines.ts computes the same).
-- One rewrite of the table (a USING expression), and the key's index built anew.
ALTER TABLE "report_lines" ALTER COLUMN "line_hash" SET DATA TYPE uuid
  USING encode(substring(sha256(convert_to(split_part("line", E'\t', 1), 'UTF8')) FOR 4) || substring(uuid_send("line_hash") FOR 12), 'hex')::uuid;
