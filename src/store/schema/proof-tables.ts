// Proof packets of paid claims.
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { bytea, ts } from './column-types.js';

/** The proof packet of a paid claim: the PDF itself and its SHA-256. */
export const proofPackets = pgTable('proof_packets', {
  claimId: text('claim_id').primaryKey(),
  userId: text('user_id').notNull(),
  payoutId: text('payout_id').notNull(),
  sha256: text('sha256').notNull(),
  bytes: bytea('bytes').notNull(),
  sizeBytes: integer('size_bytes').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});
