// FILING_MIN_APPROVAL, before the filer plans its cases: the ready claims of a type Amazon has
// mostly rejected lately move to `held` with the reason (`details.hold`), so Clario does not flood
// Amazon with claims it rejects; when the type's rate recovers (or its rejections age out of the
// window), they go back to `ready`. A claim a person released (`details.hold_released`) is not
// held again for it. The rule is pure (src/domain/filing-holds.ts); this applies it, in one
// transaction with the messages that say so.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { holdOf, lowApprovalHold, wasReleased, type ApprovalPolicy, type Hold } from '../domain/filing-holds.js';
import { recentDecisions } from '../learning/recent-decisions.js';
import type { ClaimRow } from '../store/claim-rows.js';
import type { Db } from '../store/db.js';
import { claims } from '../store/schema/claims-tables.js';
import { publish } from '../workflow/publish.js';

export interface ApprovalHolds {
  /** Ready claims moved to held in this round. */
  readonly held: readonly string[];
  /** Held claims whose type recovered, back to ready. */
  readonly released: readonly string[];
}

const DAY_MS = 86_400_000;

/** The claims held for a low approval rate, across sellers. */
async function heldForApproval(q: Db): Promise<ClaimRow[]> {
  return q.select().from(claims).where(and(eq(claims.status, 'held'), sql`${claims.details}->'hold'->>'code' = 'low_approval'`));
}

/** Applies the rule to the claims waiting for a case (and re-judges the claims it held before), at `now`. */
export async function applyApprovalHolds(db: Db, o: { policy: ApprovalPolicy; now: Date }): Promise<ApprovalHolds> {
  return db.transaction(async (tx) => {
    const before = await heldForApproval(tx);
    const ready = o.policy.minApproval > 0 ? await tx.select().from(claims).where(and(eq(claims.status, 'ready'), isNull(claims.filingId))) : [];
    if (before.length === 0 && ready.length === 0) return { held: [], released: [] };
    const types = [...new Set([...ready, ...before].map((c) => c.type))];
    const decisions = await recentDecisions(tx, types, new Date(o.now.getTime() - o.policy.windowDays * DAY_MS));
    const holds = new Map<string, Hold | null>(types.map((t) => [t, lowApprovalHold(t, decisions.get(t) ?? { approved: 0, rejected: 0 }, o.policy)]));
    const at = o.now.toISOString();
    const held: string[] = [];
    for (const c of ready) {
      const hold = holds.get(c.type);
      if (!hold || wasReleased(c.details, 'low_approval')) continue;
      const moved = await tx
        .update(claims)
        .set({ status: 'held', updatedAt: sql`now()`, details: sql`coalesce(${claims.details}, '{}'::jsonb) || jsonb_build_object('hold', ${JSON.stringify(hold)}::jsonb)` })
        .where(and(eq(claims.id, c.id), eq(claims.status, 'ready'), isNull(claims.filingId)))
        .returning({ id: claims.id });
      if (moved.length === 0) continue;
      held.push(c.id);
      await publish(tx, routed(c, 'ready', 'held', [hold.reason], at));
    }
    const released: string[] = [];
    for (const c of before) {
      if (holds.get(c.type) || holdOf(c.details)?.code !== 'low_approval') continue;
      const moved = await tx
        .update(claims)
        .set({ status: 'ready', updatedAt: sql`now()`, details: sql`${claims.details} - 'hold'` })
        .where(and(eq(claims.id, c.id), eq(claims.status, 'held'), sql`${claims.details}->'hold'->>'code' = 'low_approval'`))
        .returning({ id: claims.id });
      if (moved.length === 0) continue;
      released.push(c.id);
      await publish(tx, routed(c, 'held', 'ready', [`Amazon's recent approvals of ${c.type} claims are back at or above the minimum: Clario files it again.`], at));
    }
    return { held, released };
  });
}

function routed(c: ClaimRow, from: 'ready' | 'held', to: 'ready' | 'held', reasons: string[], at: string) {
  return {
    type: 'claim.routed' as const,
    claim_id: c.id,
    user_id: c.userId,
    sync_id: null,
    from,
    status: to,
    decision: to === 'held' ? ('hold' as const) : ('auto_submit' as const),
    confidence: Math.min(1, Math.max(0, c.confidence ?? 0)),
    reasons,
    missing: [],
    prompt_id: null,
    at,
  };
}
