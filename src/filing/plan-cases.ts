// Pacing, as a pure function: which ready claims go into which case today. Amazon penalises
// floods of cases, so a seller gets at most `casesLeft` new cases and each case at most
// `maxItemsPerCase` claims of one type (inbound shortages: of one shipment too). The nearest
// deadline goes first, so a claim about to expire is never starved by newer ones.
import { createHash } from 'node:crypto';

export interface ReadyClaim {
  readonly id: string;
  readonly type: string;
  /** YYYY-MM-DD; unknown deadlines go last. */
  readonly deadline: string | null;
  readonly shipmentId?: string | undefined;
  /** The claim's currency, which stands for its marketplace: a case is filed in one marketplace. */
  readonly currency?: string | null | undefined;
}

export interface PlannedCase {
  readonly claimIds: readonly string[];
  readonly type: string;
  readonly shipmentId: string | undefined;
  /** The earliest deadline among its claims. */
  readonly deadline: string | null;
}

export interface Pacing {
  readonly maxItemsPerCase: number;
  readonly casesLeft: number;
}

export function byDeadline(a: ReadyClaim, b: ReadyClaim): number {
  if (a.deadline !== b.deadline) {
    if (a.deadline === null) return 1;
    if (b.deadline === null) return -1;
    return a.deadline < b.deadline ? -1 : 1;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Claims that may share a case: same type and currency (one marketplace, one payout currency),
 * and for inbound shortages the same shipment.
 */
export function groupKey(c: ReadyClaim): string {
  const base = `${c.type}\u0000${c.currency ?? ''}`;
  return c.type === 'inbound_shortage' ? `${base}\u0000${c.shipmentId ?? ''}` : base;
}

export function planCases(claims: readonly ReadyClaim[], pacing: Pacing): PlannedCase[] {
  const max = Math.max(1, pacing.maxItemsPerCase);
  const cases: Array<{ key: string; claims: ReadyClaim[] }> = [];
  for (const claim of [...claims].sort(byDeadline)) {
    const key = groupKey(claim);
    const open = cases.find((c) => c.key === key && c.claims.length < max);
    if (open) open.claims.push(claim);
    else if (cases.length < pacing.casesLeft) cases.push({ key, claims: [claim] });
  }
  return cases.map(({ claims: cs }) => ({
    claimIds: cs.map((c) => c.id),
    type: cs[0]?.type ?? '',
    shipmentId: cs[0]?.type === 'inbound_shortage' ? cs[0].shipmentId : undefined,
    deadline: cs[0]?.deadline ?? null,
  }));
}

/**
 * A filing's id, derived from its claims: writing the same intent twice (a crash, two workers)
 * lands on one row, and the id doubles as the case API's Idempotency-Key. Claims filed again after
 * Amazon's answer name the filings they leave (`after`): the same claims, a new submission.
 */
export function filingId(userId: string, claimIds: readonly string[], after: readonly string[] = []): string {
  const ids = [...claimIds].sort().join(',');
  const round = after.length ? `\nafter ${[...new Set(after)].sort().join(',')}` : '';
  return `fil_${createHash('sha256').update(`${userId}\n${ids}${round}`).digest('hex').slice(0, 24)}`;
}

/** The UTC calendar day a filing counts against. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}
