-- Evidence bytes in 256 KiB pieces, each written and read by its own statement, so a large upload
-- or download never holds the embedded database's one connection for seconds. Files stored before
-- keep their bytes in evidence_blobs.bytes (chunks null); new ones keep them in the pieces.
CREATE TABLE "evidence_blob_chunks" (
	"sha256" text NOT NULL,
	"idx" integer NOT NULL,
	"bytes" "bytea" NOT NULL,
	CONSTRAINT "evidence_blob_chunks_sha256_idx_pk" PRIMARY KEY("sha256","idx")
);
--> statement-breakpoint
ALTER TABLE "evidence_blobs" ALTER COLUMN "bytes" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "evidence_blobs" ADD COLUMN "chunks" integer;