-- Buyer data already stored is purged: the buyer name, e-mail, phone and address columns of stored
-- report lines (the shipments report's buyer-*, recipient-name, ship-address/city/state/postal-code/
-- country/phone-number and bill-* columns) are cut from each line and from its sync's header, as
-- src/sync/drop-buyer-columns.ts now does when lines are read. A line is read against its own
-- sync's header, else the latest header of its source; a line of another width than its header
-- (detection would skip it, and its buyer data could sit anywhere in it) or without any header is
-- deleted. Each cut line gets the hash it would have been stored with (store-lines.ts), so later
-- syncs still store it once; two lines that only differed by buyer data keep the older one.
CREATE TEMP TABLE buyer_cut ON COMMIT DROP AS
WITH cols AS (
  SELECT s.sync_id, s.source, s.user_id, s.status, s.updated_at, c.name, c.i,
    lower(regexp_replace(c.name, '[[:space:]_-]', '', 'g')) ~ '^(buyer|recipient|bill|ship(address[0-9]*|city|state|postalcode|country|phonenumber)$)' AS buyer
  FROM sync_sources s, unnest(string_to_array(s.header, E'\t')) WITH ORDINALITY AS c(name, i)
  WHERE s.header IS NOT NULL
)
SELECT sync_id, source, user_id, status, updated_at, count(*)::int AS width, bool_or(buyer) AS has_buyer,
  coalesce(array_agg(i::int ORDER BY i) FILTER (WHERE NOT buyer), '{}') AS keep,
  string_agg(name, E'\t' ORDER BY i) FILTER (WHERE NOT buyer) AS header
FROM cols GROUP BY sync_id, source, user_id, status, updated_at;
--> statement-breakpoint
-- Every stored line of a source that has carried buyer columns, with the cut that applies to it.
CREATE TEMP TABLE buyer_lines ON COMMIT DROP AS
SELECT r.user_id, r.source, r.line_hash, r.seq, r.line, c.width, c.has_buyer, c.keep
FROM report_lines r
LEFT JOIN LATERAL (
  SELECT b.width, b.has_buyer, b.keep FROM buyer_cut b
  WHERE b.source = r.source AND b.user_id = r.user_id AND (b.sync_id = r.sync_id OR b.status = 'done')
  ORDER BY (b.sync_id = r.sync_id) DESC, b.updated_at DESC LIMIT 1
) c ON true
WHERE EXISTS (SELECT 1 FROM buyer_cut b WHERE b.source = r.source AND b.user_id = r.user_id AND b.has_buyer);
--> statement-breakpoint
ALTER TABLE buyer_lines ADD COLUMN new_line text, ADD COLUMN new_hash text;
--> statement-breakpoint
-- Lines of a sync whose header had no buyer column stay as they are, but take part in the dedupe.
UPDATE buyer_lines SET new_line = line, new_hash = line_hash WHERE has_buyer IS FALSE;
--> statement-breakpoint
UPDATE buyer_lines l SET new_line = (
  SELECT string_agg(coalesce(f.v, ''), E'\t' ORDER BY k.n)
  FROM unnest(l.keep) WITH ORDINALITY AS k(i, n)
  LEFT JOIN unnest(string_to_array(l.line, E'\t')) WITH ORDINALITY AS f(v, i) ON f.i = k.i
)
WHERE l.has_buyer AND l.width = cardinality(string_to_array(l.line, E'\t'));
--> statement-breakpoint
UPDATE buyer_lines SET new_hash = substr(translate(encode(sha256(convert_to(source || E'\n' || new_line, 'UTF8')), 'base64'), '+/', '-_'), 1, 32)
WHERE has_buyer AND new_line IS NOT NULL;
--> statement-breakpoint
-- Unreadable lines, and every line but the oldest of those the cut makes equal.
DELETE FROM report_lines r USING buyer_lines l
WHERE r.user_id = l.user_id AND r.source = l.source AND r.line_hash = l.line_hash
  AND (l.new_line IS NULL OR EXISTS (
    SELECT 1 FROM buyer_lines o WHERE o.user_id = l.user_id AND o.source = l.source AND o.new_hash = l.new_hash AND o.seq < l.seq
  ));
--> statement-breakpoint
UPDATE report_lines r SET line = l.new_line, line_hash = l.new_hash
FROM buyer_lines l
WHERE r.user_id = l.user_id AND r.source = l.source AND r.line_hash = l.line_hash AND l.has_buyer AND l.new_line IS NOT NULL;
--> statement-breakpoint
UPDATE sync_sources s SET header = b.header
FROM buyer_cut b
WHERE s.sync_id = b.sync_id AND s.source = b.source AND b.has_buyer;
