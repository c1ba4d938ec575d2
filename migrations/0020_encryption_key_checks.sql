-- One known value per encryption key id, sealed with that key: a process starting with other keys
-- (another machine's generated ones, a typo) is refused instead of sealing what no other process
-- can open.
CREATE TABLE "encryption_key_checks" (
	"kid" text PRIMARY KEY NOT NULL,
	"sealed" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
