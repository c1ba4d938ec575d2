-- A caller's Idempotency-Key was stored as key:<user_id>:<key>, which two users can share when a
-- user id holds ':' (acme + shop:1 and acme:shop + 1). The key now carries the user id's length
-- (key:<length>:<user_id>:<key>); the keys stored before are rewritten to it, from their own
-- row's user_id, so a retry of a request made before the upgrade is still known.
UPDATE "phase_events"
SET "idempotency_key" = 'key:' || length("user_id") || ':' || substr("idempotency_key", 5)
WHERE "idempotency_key" LIKE 'key:%'
  AND substr("idempotency_key", 5, length("user_id") + 1) = "user_id" || ':';
