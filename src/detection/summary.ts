import { add, type Money } from '../domain/money.js';
import type { NotLookedFor } from './detect-rows.js';
import { InputFolderError } from './read/folder.js';
import type { FileStats } from './read/table.js';
import { CLAIM_TYPES, type Claim, type ClaimStatus, type ClaimType } from './types.js';

export interface StatusCounts {
  eligible: number;
  pending: number;
  expired: number;
}

export interface TypeSummary extends StatusCounts {
  readonly type: ClaimType;
  /** Value per currency, sorted by currency; claims of unknown value are counted in `unvalued`. */
  value: Money[];
  unvalued: number;
}

export interface DetectionSummary {
  readonly asOf: string;
  /** Rows read per file: `rows` good ones, `skipped` bad ones; `unusable` when not used at all. */
  readonly files: readonly FileStats[];
  /** One entry per claim type that was looked for. */
  readonly types: readonly TypeSummary[];
  readonly notLookedFor: readonly NotLookedFor[];
  readonly total: StatusCounts & { readonly claims: number; readonly value: Money[]; readonly eligibleValue: Money[] };
  readonly diagnostics: number;
}

function addTo(values: Money[], amount: Money): Money[] {
  const i = values.findIndex((v) => v.currency === amount.currency);
  if (i < 0) return [...values, amount].sort((a, b) => (a.currency < b.currency ? -1 : 1));
  const sum = values[i]!.minor + amount.minor;
  // Only absurd inputs get here (claims of 10^13 dollars each); a total that is not exact is no total.
  if (!Number.isSafeInteger(sum)) throw new InputFolderError(`the claims found add up to more ${amount.currency} than exact minor units hold: the reports hold absurd amounts`);
  return values.map((v, j) => (j === i ? add(v, amount) : v));
}

export function summarize(input: {
  asOf: string;
  claims: readonly Claim[];
  files: readonly FileStats[];
  lookedFor: readonly ClaimType[];
  notLookedFor: readonly NotLookedFor[];
  diagnostics: number;
}): DetectionSummary {
  const types = new Map<ClaimType, TypeSummary>();
  // In DETECTION.md's order, whatever order the rules ran in.
  for (const type of CLAIM_TYPES) {
    if (input.lookedFor.includes(type)) types.set(type, { type, eligible: 0, pending: 0, expired: 0, value: [], unvalued: 0 });
  }
  const total = { claims: 0, eligible: 0, pending: 0, expired: 0, value: [] as Money[], eligibleValue: [] as Money[] };
  for (const claim of input.claims) {
    const t = types.get(claim.type) ?? { type: claim.type, eligible: 0, pending: 0, expired: 0, value: [], unvalued: 0 };
    types.set(claim.type, t);
    const status: ClaimStatus = claim.status;
    t[status]++;
    total[status]++;
    total.claims++;
    if (claim.amount === null) {
      t.unvalued++;
      continue;
    }
    t.value = addTo(t.value, claim.amount);
    total.value = addTo(total.value, claim.amount);
    if (status === 'eligible') total.eligibleValue = addTo(total.eligibleValue, claim.amount);
  }
  return {
    asOf: input.asOf,
    files: input.files,
    types: [...types.values()],
    notLookedFor: input.notLookedFor,
    total,
    diagnostics: input.diagnostics,
  };
}
