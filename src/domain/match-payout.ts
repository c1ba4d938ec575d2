// Which claim of a case does a reimbursement line pay? Pure. Amazon pays a case of several claims
// in several lines (one per order, shipment or SKU, sometimes split or combined), and each line
// names what it pays. A line is credited to the one claim it names best; when it names none of the
// case's claims, or several equally, or would pay a claim's units a second time, it is not guessed
// at: it is parked for an operator, with the reason.

/** What a claim of the case is about, as filed. */
export interface PayableClaim {
  readonly claimId: string;
  readonly orderId?: string | undefined;
  readonly shipmentId?: string | undefined;
  readonly transactionItemId?: string | undefined;
  readonly fnsku?: string | undefined;
  readonly sku?: string | undefined;
  /** The units the claim asked Amazon to pay for. */
  readonly units: number;
  /** Units other lines already paid on it, net of reversals. */
  readonly paidUnits: number;
}

/** What a reimbursement line names. */
export interface LineNames {
  readonly orderId: string | null;
  readonly shipmentId: string | null;
  readonly transactionItemId: string | null;
  readonly fnsku: string | null;
  readonly sku: string | null;
  /** Units the line pays; unknown counts as one (a line pays for at least one unit). */
  readonly quantity: number | null;
}

export type PayoutMatch = { readonly claimId: string } | { readonly unmatched: string };

const FIELDS = ['transactionItemId', 'orderId', 'shipmentId', 'fnsku', 'sku'] as const;
const LABEL: Readonly<Record<(typeof FIELDS)[number], string>> = {
  transactionItemId: 'transaction item',
  orderId: 'order',
  shipmentId: 'shipment',
  fnsku: 'FNSKU',
  sku: 'SKU',
};

/** How many of the line's names the claim shares; -1 when they contradict (both name it, differently). */
function score(line: LineNames, claim: PayableClaim): number {
  let n = 0;
  for (const f of FIELDS) {
    const a = line[f];
    const b = claim[f];
    if (!a || !b) continue;
    if (a !== b) return -1;
    n++;
  }
  return n;
}

function describe(line: LineNames): string {
  const named = FIELDS.flatMap((f) => (line[f] ? [`${LABEL[f]} ${line[f]}`] : []));
  return named.length ? named.join(', ') : 'nothing that identifies a claim';
}

export function matchPayout(line: LineNames, claims: readonly PayableClaim[]): PayoutMatch {
  const scored = claims.map((c) => ({ c, s: score(line, c) })).filter((x) => x.s >= 0);
  const best = Math.max(-1, ...scored.map((x) => x.s));
  // A line that names nothing the claims share can only be the payment of a one-claim case.
  const candidates = best > 0 ? scored.filter((x) => x.s === best) : claims.length === 1 ? scored : [];
  if (candidates.length === 0) return { unmatched: `the line names ${describe(line)}, which no claim of the case has` };
  if (candidates.length > 1) {
    return { unmatched: `the line names ${describe(line)}, which ${candidates.length} claims of the case share (${candidates.map((x) => x.c.claimId).join(', ')})` };
  }
  const c = (candidates[0] as { c: PayableClaim }).c;
  const units = line.quantity ?? 1;
  if (c.paidUnits + units > c.units) {
    return { unmatched: `claim ${c.claimId} is for ${c.units} unit${c.units === 1 ? '' : 's'}, ${c.paidUnits} already paid: the line's ${units} more would pay units twice` };
  }
  return { claimId: c.claimId };
}
