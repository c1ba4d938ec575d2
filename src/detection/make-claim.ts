import type { Money } from '../domain/money.js';
import { formatDay } from './days.js';
import type { Claim, ClaimKey, ClaimStatus, ClaimType, Day, FilingFacts, SourceRef } from './types.js';

/**
 * Expired once the deadline has passed; pending before `pendingUntil` (Amazon's own grace period
 * or the earliest filing day); eligible otherwise. Expired wins: a claim whose grace outlasts
 * its deadline can never be filed, and must never be shown as fileable.
 */
export function claimStatus(asOf: Day, deadline: Day, pendingUntil?: Day): ClaimStatus {
  if (asOf > deadline) return 'expired';
  if (pendingUntil !== undefined && asOf < pendingUntil) return 'pending';
  return 'eligible';
}

export interface ClaimDraft {
  readonly type: ClaimType;
  readonly sku: string;
  readonly fnsku?: string | undefined;
  readonly asin?: string | undefined;
  readonly quantity: number;
  readonly amount: Money | null;
  readonly deadline: Day;
  readonly pendingUntil?: Day | undefined;
  readonly key: ClaimKey;
  readonly sources: readonly SourceRef[];
  readonly valuation?: 'sale_price_estimate' | undefined;
  /** The day the claim's window counts from. */
  readonly eventDay: Day;
  /** The rest of what filing asks for; undefined values are left out. */
  readonly facts?: { readonly [K in Exclude<keyof FilingFacts, 'event_date'>]?: FilingFacts[K] | undefined };
}

/** Builds a claim with the fields in the order of DETECTION.md's JSON Lines, sources sorted and unique. */
export function makeClaim(asOf: Day, d: ClaimDraft): Claim {
  const status = claimStatus(asOf, d.deadline, d.pendingUntil);
  return Object.freeze({
    type: d.type,
    status,
    sku: d.sku,
    fnsku: d.fnsku ?? null,
    ...(d.asin ? { asin: d.asin } : {}),
    quantity: d.quantity,
    amount: d.amount,
    deadline: formatDay(d.deadline),
    // A pending claim says when it becomes fileable, so the filer never files it a day early.
    ...(status === 'pending' && d.pendingUntil !== undefined ? { eligible_from: formatDay(d.pendingUntil) } : {}),
    key: Object.freeze({ ...d.key }),
    sources: uniqueSources(d.sources),
    ...(d.valuation ? { valuation: d.valuation } : {}),
    filing: Object.freeze({ event_date: formatDay(d.eventDay), ...definedOnly(d.facts ?? {}) }),
  });
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}

function uniqueSources(sources: readonly SourceRef[]): SourceRef[] {
  const seen = new Map<string, SourceRef>();
  for (const s of sources) seen.set(`${s.file}\u0000${s.line}`, s);
  return [...seen.values()].sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
}

/** Every key field, in DETECTION.md's order. */
const KEY_FIELDS = ['fnsku', 'reference_id', 'shipment_id', 'order_id', 'removal_order_id', 'sku', 'tracking_number', 'reimbursement_id'] as const;
/** The key fields of version 1, whose identity text must not change (see claimIdentity). */
const V1_KEY_FIELDS = ['fnsku', 'shipment_id', 'order_id', 'removal_order_id', 'sku', 'reimbursement_id'] as const;

/** The key's values in a fixed field order, for sorting. */
export function keyText(key: ClaimKey): string {
  return KEY_FIELDS.map((f) => key[f] ?? '').join('\u0000');
}

/**
 * Identifies a claim across runs: type, key and currency. The currency is part of it because a
 * SKU sold in two marketplaces can be overcharged in both, and those are two claims.
 * Stored claim ids are derived from this text, so the fields added in version 2 are appended only
 * when a key has them: a claim whose key has none keeps the identity (and id) it always had.
 */
export function claimIdentity(claim: Claim): string {
  const base = `${claim.type}|${V1_KEY_FIELDS.map((f) => claim.key[f] ?? '').join('|')}|${claim.amount?.currency ?? ''}`;
  const { reference_id: ref, tracking_number: tracking } = claim.key;
  return ref === undefined && tracking === undefined ? base : `${base}|${ref ?? ''}|${tracking ?? ''}`;
}

/** Deterministic output order: nearest deadline first, then type, then key. */
export function compareClaims(a: Claim, b: Claim): number {
  if (a.deadline !== b.deadline) return a.deadline < b.deadline ? -1 : 1;
  if (a.type !== b.type) return a.type < b.type ? -1 : 1;
  const ka = keyText(a.key);
  const kb = keyText(b.key);
  if (ka !== kb) return ka < kb ? -1 : 1;
  const ca = a.amount?.currency ?? '';
  const cb = b.amount?.currency ?? '';
  return ca === cb ? 0 : ca < cb ? -1 : 1;
}
