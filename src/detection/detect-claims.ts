// Phase 2's capability: detection over the seller's synced data, exactly as `clario detect` runs
// over files. Claims are stored with their lineage; a claim's id is derived from its identity, so
// running detection again updates the open claim instead of adding a second one.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { claimIdentity, detect, InputFolderError, type Claim } from './index.js';
import { type Db, rows } from '../store/db.js';

import { materialize, resolveLineage } from '../sync/materialize.js';
import type { Capabilities } from '../workflow/capabilities.js';

/**
 * The day detection judges as of: the last complete day (UTC). Amazon's data for the current day
 * is still arriving, and judging it half-way would miss a reimbursement approved this afternoon.
 */
export function lastCompleteDay(now = Date.now()): string {
  return new Date(now - 86_400_000).toISOString().slice(0, 10);
}

export function claimId(userId: string, claim: Claim): string {
  return `clm_${createHash('sha256').update(`${userId}\n${claimIdentity(claim)}`).digest('hex').slice(0, 24)}`;
}

interface StoredClaim {
  readonly id: string;
  readonly claim: Claim;
  readonly sources: ReadonlyArray<Record<string, unknown>>;
}

async function upsertClaims(tx: Db, userId: string, syncId: string, found: readonly StoredClaim[]): Promise<void> {
  if (found.length === 0) return;
  const db = tx;
  for (let i = 0; i < found.length; i += 200) {
    const values = found.slice(i, i + 200).map(({ id, claim, sources }) => {
      const details = { ...claim, sources, detection_status: claim.status };
      const status = claim.status === 'expired' ? 'expired' : 'detected';
      return sql`(${id}, ${userId}, ${syncId}, ${claim.type}, ${status}, ${claim.amount?.minor ?? null}::bigint, ${claim.amount?.currency ?? null}::text,
        ${claim.quantity}::integer, ${claim.deadline}::date, ${JSON.stringify(details)}::jsonb, now(), now())`;
    });
    // Only claims still open take new figures; one filed, paid or dismissed keeps what it was.
    await rows(db, sql`INSERT INTO claims (id, user_id, sync_id, type, status, amount_minor, currency, quantity, deadline, details, created_at, updated_at)
      VALUES ${sql.join(values, sql`, `)}
      ON CONFLICT (id) DO UPDATE SET amount_minor = excluded.amount_minor, currency = excluded.currency, quantity = excluded.quantity,
        deadline = excluded.deadline, details = excluded.details, status = excluded.status, updated_at = now()
      WHERE claims.status IN ('detected', 'expired')`);
  }
}

export function detectionCapability(deps: { db: Db; /** The day detection judges as of (YYYY-MM-DD). */ asOf: () => string }): Capabilities['detection'] {
  return {
    async detect(ctx, run) {
      const dir = await mkdtemp(join(tmpdir(), 'clario-detect-'));
      try {
        const lineage = await materialize(deps.db, run.userId, dir);
        let claims: readonly Claim[] = [];
        try {
          claims = (await detect(dir, { asOf: deps.asOf() })).claims;
        } catch (err) {
          // A seller with no synced data yet has nothing to find; that is not a failure.
          if (!(err instanceof InputFolderError)) throw err;
        }
        const stored: StoredClaim[] = [];
        for (const claim of claims) stored.push({ id: claimId(run.userId, claim), claim, sources: await resolveLineage(deps.db, lineage, claim.sources) });
        const byType: Record<string, number> = {};
        for (const c of claims) byType[c.type] = (byType[c.type] ?? 0) + 1;
        return {
          data: { claims_found: claims.length, by_type: byType, eligible: claims.filter((c) => c.status === 'eligible').length },
          apply: (tx) => upsertClaims(tx, run.userId, run.syncId, stored),
        };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
