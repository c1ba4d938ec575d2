import type { FinancialEvent, ReimbursementRow } from '../rows.js';
import type { Day, SourceRef } from '../types.js';

/** A reimbursement reason in comparable form: "Lost_Warehouse", "lost-warehouse" → "lostwarehouse". */
export function reasonKey(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export const LOST_WAREHOUSE = 'lostwarehouse';
export const DAMAGED_WAREHOUSE = 'damagedwarehouse';
export const LOST_INBOUND = 'lostinbound';
/** A generic FBAInventoryReimbursement: its reason is unknown, so it may cover any of them. */
const ANY_REASON = '*';

// Finances v0 AdjustmentType codes that are reimbursements, by the report reason they stand for.
// Reversals and clawbacks (REVERSAL_REIMBURSEMENT, COMPENSATED_CLAWBACK, ...) are not listed.
const ADJUSTMENT_REASONS: Readonly<Record<string, string>> = {
  warehouselost: LOST_WAREHOUSE,
  warehouselostmanual: LOST_WAREHOUSE,
  lostwarehouse: LOST_WAREHOUSE,
  warehousedamage: DAMAGED_WAREHOUSE,
  warehousedamageexception: DAMAGED_WAREHOUSE,
  damagedwarehouse: DAMAGED_WAREHOUSE,
  missingfrominbound: LOST_INBOUND,
  lostinbound: LOST_INBOUND,
  fbainventoryreimbursement: ANY_REASON,
};

/** The report reason an AdjustmentEvent type stands for, or undefined if it is no reimbursement. */
export function adjustmentReason(adjustmentType: string): string | undefined {
  return ADJUSTMENT_REASONS[reasonKey(adjustmentType)];
}

export interface Grant {
  readonly day: Day;
  readonly units: number;
  readonly source: SourceRef;
}

/**
 * Units Amazon already reimbursed for one reason, per FNSKU (or SKU), from the reimbursements
 * report and from Finances adjustment events. The two are views of the same payments, so they
 * are never added together: for each key the fuller view counts.
 */
export class ReimbursedUnits {
  private readonly report = new Map<string, Grant[]>();
  private readonly events = new Map<string, Grant[]>();

  /**
   * @param by "fnsku" keys by FNSKU when the row has one (the same FNSKU can carry two SKUs), "sku" by SKU.
   * @param keep which approval days matter; the rest are dropped to bound memory.
   */
  constructor(
    private readonly reason: string,
    private readonly by: 'fnsku' | 'sku',
    private readonly keep: (day: Day) => boolean,
  ) {}

  static keys(fnsku: string | undefined, sku: string): string[] {
    return fnsku ? [`f:${fnsku}`, `s:${sku}`] : [`s:${sku}`];
  }

  private keyOf(fnsku: string | undefined, sku: string | undefined): string | undefined {
    if (this.by === 'fnsku' && fnsku) return `f:${fnsku}`;
    return sku ? `s:${sku}` : undefined;
  }

  readonly reimbursements = (row: ReimbursementRow): void => {
    if (reasonKey(row.reason) !== this.reason || row.quantityTotal <= 0 || !this.keep(row.day)) return;
    add(this.report, this.keyOf(row.fnsku, row.sku), { day: row.day, units: row.quantityTotal, source: row.source });
  };

  readonly financialEvents = (event: FinancialEvent): void => {
    if (event.kind !== 'adjustment' || !this.keep(event.day)) return;
    const reason = adjustmentReason(event.adjustmentType);
    if (reason !== this.reason && reason !== ANY_REASON) return;
    for (const item of event.items) {
      if (item.quantity <= 0) continue;
      add(this.events, this.keyOf(item.fnsku, item.sku), { day: event.day, units: item.quantity, source: event.source });
    }
  };

  /** Grants approved on or after `from` for any of `keys`, from the fuller of the two views. */
  grants(keys: readonly string[], from: Day): Grant[] {
    const fromReport = collect(this.report, keys, from);
    const fromEvents = collect(this.events, keys, from);
    return total(fromEvents) > total(fromReport) ? fromEvents : fromReport;
  }
}

export function total(grants: readonly Grant[]): number {
  return grants.reduce((sum, g) => sum + g.units, 0);
}

function add(map: Map<string, Grant[]>, key: string | undefined, grant: Grant): void {
  if (key === undefined) return;
  const list = map.get(key);
  if (list) list.push(grant);
  else map.set(key, [grant]);
}

function collect(map: Map<string, Grant[]>, keys: readonly string[], from: Day): Grant[] {
  const out: Grant[] = [];
  for (const key of keys) for (const g of map.get(key) ?? []) if (g.day >= from) out.push(g);
  return out.sort((a, b) => a.day - b.day);
}
