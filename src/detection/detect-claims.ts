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

/**
 * Details that are not detection's: the seller's measurements, a hold on filing and its release
 * (src/domain/filing-holds.ts). A new run of detection keeps them.
 */
const KEPT_DETAILS = ['measurements', 'hold', 'hold_released'] as const;

/** Claims not filed yet: detection may still change their figures, or withdraw them. */
const OPEN = sql`('detected', 'prompted', 'held', 'ready')`;

async function upsertClaims(tx: Db, userId: string, syncId: string, found: readonly StoredClaim[]): Promise<void> {
  for (let i = 0; i < found.length; i += 200) {
    const values = found.slice(i, i + 200).map(({ id, claim, sources }) => {
      const details = { ...claim, sources, detection_status: claim.status };
      const status = claim.status === 'expired' ? 'expired' : 'detected';
      return sql`(${id}, ${userId}, ${syncId}, ${claim.type}, ${status}, ${claim.amount?.minor ?? null}::bigint, ${claim.amount?.currency ?? null}::text,
        ${claim.quantity}::integer, ${claim.deadline}::date, ${JSON.stringify(details)}::jsonb, now(), now())`;
    });
    // A claim not filed yet takes the new figures (a partial reimbursement since must not be asked
    // for again); one routed keeps its route unless it expired. A claim detection withdrew earlier
    // comes back as detected. One filed, paid or dismissed by the seller keeps what it was. What
    // the seller and the filer added to its details (KEPT_DETAILS) is not detection's to drop.
    await rows(tx, sql`INSERT INTO claims (id, user_id, sync_id, type, status, amount_minor, currency, quantity, deadline, details, created_at, updated_at)
      VALUES ${sql.join(values, sql`, `)}
      ON CONFLICT (id) DO UPDATE SET amount_minor = excluded.amount_minor, currency = excluded.currency, quantity = excluded.quantity,
        deadline = excluded.deadline, updated_at = now(),
        details = excluded.details || coalesce((SELECT jsonb_object_agg(k, v) FROM jsonb_each(claims.details) AS kept(k, v)
          WHERE k IN (${sql.join(KEPT_DETAILS.map((k) => sql`${k}`), sql`, `)})), '{}'::jsonb),
        status = CASE WHEN claims.status IN ('prompted', 'held', 'ready') AND excluded.status <> 'expired' THEN claims.status ELSE excluded.status END
      WHERE claims.filing_id IS NULL AND (claims.status IN ('detected', 'expired', 'prompted', 'held', 'ready')
        OR (claims.status = 'dismissed' AND claims.details ? 'withdrawn'))`);
  }
}

/**
 * Open claims of the types this run looked for that it no longer finds: Amazon paid them, the
 * units were found or came back, or (after the version 2 upgrade) they were counted per FNSKU and
 * are now claimed per event. Filing them would ask Amazon for money it no longer owes, so they are
 * withdrawn (dismissed, with the reason kept) and their open prompts superseded. A claim already
 * handed to filing is left alone: a person may be filing it this minute.
 */
async function withdrawMissing(tx: Db, userId: string, lookedFor: readonly string[], foundIds: readonly string[], asOf: string): Promise<number> {
  if (lookedFor.length === 0) return 0;
  const withdrawn = { reason: 'no_longer_found', as_of: asOf, note: 'Detection no longer finds it: Amazon paid it, or the units were found or returned.' };
  const gone = await rows<{ id: string }>(tx, sql`UPDATE claims SET status = 'dismissed', updated_at = now(),
      details = coalesce(details, '{}'::jsonb) || jsonb_build_object('withdrawn', ${JSON.stringify(withdrawn)}::jsonb)
    WHERE user_id = ${userId} AND status IN ${OPEN} AND filing_id IS NULL
      AND type IN (${sql.join(lookedFor.map((t) => sql`${t}`), sql`, `)})
      ${foundIds.length ? sql`AND NOT (id = ANY(${`{${foundIds.join(',')}}`}::text[]))` : sql``}
    RETURNING id`);
  if (gone.length > 0) {
    await rows(tx, sql`UPDATE prompts SET status = 'superseded', answered_at = now()
      WHERE status = 'open' AND claim_id = ANY(${`{${gone.map((g) => g.id).join(',')}}`}::text[])`);
  }
  return gone.length;
}

export function detectionCapability(deps: { db: Db; /** The day detection judges as of (YYYY-MM-DD). */ asOf: () => string }): Capabilities['detection'] {
  return {
    async detect(ctx, run) {
      const dir = await mkdtemp(join(tmpdir(), 'clario-detect-'));
      try {
        const lineage = await materialize(deps.db, run.userId, dir);
        const asOf = deps.asOf();
        let claims: readonly Claim[] = [];
        // Only the types a run really looked for can have claims withdrawn: a rule skipped for a
        // missing file says nothing about its claims.
        let lookedFor: readonly string[] = [];
        try {
          const result = await detect(dir, { asOf });
          claims = result.claims;
          lookedFor = result.summary.types.map((t) => t.type);
        } catch (err) {
          // A seller with no synced data yet has nothing to find; that is not a failure.
          if (!(err instanceof InputFolderError)) throw err;
        }
        const cited = await resolveLineage(deps.db, run.userId, lineage, claims.map((c) => c.sources));
        const stored: StoredClaim[] = claims.map((claim, i) => ({ id: claimId(run.userId, claim), claim, sources: cited[i] ?? [] }));
        const byType: Record<string, number> = {};
        for (const c of claims) byType[c.type] = (byType[c.type] ?? 0) + 1;
        return {
          data: { claims_found: claims.length, by_type: byType, eligible: claims.filter((c) => c.status === 'eligible').length },
          apply: async (tx) => {
            await upsertClaims(tx, run.userId, run.syncId, stored);
            await withdrawMissing(tx, run.userId, lookedFor, stored.map((s) => s.id), asOf);
          },
        };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
