import { currencyOfCountry } from '../books/marketplace-currency.js';
import { LOST_INBOUND, ReimbursedUnits, type Grant } from '../books/reimbursed-units.js';
import { valueAtCost } from '../books/valuation.js';
import { makeClaim } from '../make-claim.js';
import type { Claim, Day, SourceRef } from '../types.js';
import type { Rule } from './rule.js';

interface ShipmentItem {
  readonly shipmentId: string;
  readonly sku: string;
  fnsku: string | undefined;
  shipped: number;
  received: number;
  readonly sources: SourceRef[];
}

interface Receipts {
  lastDay: Day;
  /** The rows of the last receipt day: they date the claim. */
  lastSources: SourceRef[];
  country: string | undefined;
  /** Receipt rows per SKU: what Amazon says it received. */
  readonly bySku: Map<string, SourceRef[]>;
}

/**
 * inbound_shortage: a closed inbound shipment in which Amazon received fewer units of a SKU than
 * were shipped, less the units already reimbursed as Lost_Inbound after its last receipt.
 */
export const inboundShortage: Rule = {
  type: 'inbound_shortage',
  needs: ['inbound', 'ledger', ['reimbursements', 'financialEvents']],
  start(ctx) {
    const cfg = ctx.config.inboundShortage;
    const statuses = new Map<string, { status: string; source: SourceRef }>();
    const items = new Map<string, ShipmentItem>();
    const receipts = new Map<string, Receipts>();
    const reimbursed = new ReimbursedUnits(LOST_INBOUND, 'sku', (day) => day <= ctx.asOf);

    return {
      inbound(rec) {
        if (rec.kind === 'shipment') {
          statuses.set(rec.shipmentId, { status: rec.status.toUpperCase(), source: rec.source });
          return;
        }
        const id = `${rec.shipmentId}\u0000${rec.sku}`;
        let item = items.get(id);
        if (!item) items.set(id, (item = { shipmentId: rec.shipmentId, sku: rec.sku, fnsku: rec.fnsku, shipped: 0, received: 0, sources: [] }));
        item.shipped += rec.shipped;
        item.received += rec.received;
        item.fnsku ??= rec.fnsku;
        item.sources.push(rec.source);
      },
      reimbursements: reimbursed.reimbursements,
      financialEvents: reimbursed.financialEvents,
      ledger(row) {
        // Inbound data comes first (SOURCE_ORDER): keep only receipts of shipments we know.
        if (row.day > ctx.asOf || !statuses.has(row.referenceId) || row.eventType.toLowerCase() !== 'receipts') return;
        let r = receipts.get(row.referenceId);
        if (!r) receipts.set(row.referenceId, (r = { lastDay: row.day, lastSources: [], country: row.country, bySku: new Map() }));
        if (row.day > r.lastDay) {
          r.lastDay = row.day;
          r.lastSources = [];
        }
        if (row.day === r.lastDay) r.lastSources.push(row.source);
        const list = r.bySku.get(row.sku);
        if (list) list.push(row.source);
        else r.bySku.set(row.sku, [row.source]);
      },
      finish(books) {
        const bySku = new Map<string, { item: ShipmentItem; receipts: Receipts }[]>();
        for (const item of items.values()) {
          const shipment = statuses.get(item.shipmentId);
          if (shipment?.status !== 'CLOSED' || item.shipped - item.received <= 0) continue;
          const r = receipts.get(item.shipmentId);
          if (!r) {
            const at = item.sources[0] ?? shipment.source;
            ctx.diagnose({
              ...at,
              message: `shipment ${item.shipmentId} is short ${item.shipped - item.received} units of ${item.sku}, but the ledger has no Receipts row for it to date the claim; not claimed`,
            });
            continue;
          }
          const list = bySku.get(item.sku) ?? [];
          list.push({ item, receipts: r });
          bySku.set(item.sku, list);
        }
        const claims: Claim[] = [];
        for (const [sku, shortages] of bySku) {
          // One Lost_Inbound payment covers one shortage: share them out, oldest shipment first.
          shortages.sort((a, b) => a.receipts.lastDay - b.receipts.lastDay || (a.item.shipmentId < b.item.shipmentId ? -1 : 1));
          const pool = reimbursed.grants(ReimbursedUnits.keys(undefined, sku), -Infinity).map((g) => ({ grant: g, left: g.units }));
          for (const { item, receipts: r } of shortages) {
            const short = item.shipped - item.received;
            const used: Grant[] = [];
            let covered = 0;
            for (const slot of pool) {
              if (covered >= short) break;
              if (slot.left === 0 || slot.grant.day < r.lastDay) continue;
              const take = Math.min(slot.left, short - covered);
              slot.left -= take;
              covered += take;
              used.push(slot.grant);
            }
            const net = short - covered;
            if (net <= 0) continue;
            const fnsku = item.fnsku ?? books.catalog.fnskuOf(sku);
            const value = valueAtCost(books, sku, net, currencyOfCountry(r.country));
            const shipmentSource = statuses.get(item.shipmentId)?.source;
            claims.push(
              makeClaim(ctx.asOf, {
                type: 'inbound_shortage',
                sku,
                fnsku,
                asin: books.catalog.asinOf(fnsku, sku),
                quantity: net,
                amount: value.amount,
                valuation: value.valuation,
                deadline: r.lastDay + cfg.deadlineDays,
                // Amazon investigates shortages itself first; it refuses claims filed earlier.
                pendingUntil: r.lastDay + cfg.graceDays,
                key: { shipment_id: item.shipmentId, sku },
                eventDay: r.lastDay,
                facts: { shipment_id: item.shipmentId },
                sources: [
                  ...(shipmentSource ? [shipmentSource] : []),
                  ...item.sources,
                  ...r.lastSources,
                  ...(r.bySku.get(sku) ?? []),
                  ...used.map((g) => g.source),
                  ...value.sources,
                ],
              }),
            );
          }
        }
        return claims;
      },
    };
  },
};
