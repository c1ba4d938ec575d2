import { clock, usDay } from './calendar.js';
import type { Product } from './catalog.js';
import { Random } from './random.js';
import type { LineSink } from './sink.js';
import type { LedgerEvent, World } from './world.js';

/** The Seller Central download header of the ledger detail view (AMAZON.md §2). */
export const LEDGER_HEADER = [
  'Date', 'FNSKU', 'ASIN', 'MSKU', 'Title', 'Event Type', 'Reference ID', 'Quantity', 'Fulfillment Center',
  'Disposition', 'Reason', 'Country', 'Reconciled Quantity', 'Unreconciled Quantity', 'Date and Time',
].join('\t');

const REF_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function line(date: string, e: LedgerEvent, seconds: number): string {
  const p = e.product;
  return `${date}\t${p.fnsku}\t${p.asin}\t${p.sku}\t${p.title}\t${e.eventType}\t${e.referenceId}\t${e.quantity}\t${e.fc}\t${e.disposition}\t${e.reason}\t${p.market.country}\t${e.reconciled}\t${e.unreconciled}\t${date} ${clock(seconds)} ${p.market.zone}`;
}

/**
 * Writes the ledger day by day: the structural events of the day, then filler up to the rows
 * asked for. Filler is what fills a real ledger and concerns no claim: customer shipments without
 * an order line in this demo, transfers between warehouses, and disposition changes (Q then P).
 * It is generated while writing, so millions of rows never sit in memory.
 */
export async function writeLedger(world: World, sink: LineSink, minimumRows: number): Promise<number> {
  const r = Random.stream(world.seed, 'ledger');
  const { first, last } = world.ledgerSpan();
  const days = last - first + 1;
  const filler = Math.max(0, minimumRows - world.ledgerEvents);
  const products = world.products;
  await sink.write(LEDGER_HEADER);
  let rows = 0;
  let fillerWritten = 0;
  for (let i = 0; i < days; i++) {
    const day = first + i;
    const date = usDay(day);
    for (const e of world.ledgerOn(day)) {
      await sink.write(line(date, e, r.int(21_600, 79_200)));
      rows++;
    }
    // An even share of the filler per day, so the ledger's days look alike.
    const quota = Math.floor(((i + 1) * filler) / days);
    while (fillerWritten < quota) {
      const product = products[Math.floor(r.next() * products.length)]!;
      for (const e of fillerEvents(r, product, day)) {
        await sink.write(line(date, e, r.int(21_600, 79_200)));
        rows++;
        fillerWritten++;
      }
    }
  }
  return rows;
}

function fillerEvents(r: Random, product: Product, day: number): LedgerEvent[] {
  const fcs = product.market.fulfillmentCenters;
  const base = { day, product, referenceId: '', quantity: 0, fc: fcs[0]!, disposition: 'SELLABLE', reason: '', reconciled: 0, unreconciled: 0 };
  const roll = r.next();
  if (roll < 0.72) {
    return [{ ...base, eventType: 'Shipments', referenceId: `D${r.chars(REF_CHARS, 8)}`, quantity: -1, fc: r.pick(fcs) }];
  }
  if (roll < 0.9) {
    const units = r.int(1, 12);
    const reference = r.digits(11);
    return [
      { ...base, eventType: 'WhseTransfers', referenceId: reference, quantity: -units, fc: fcs[0]! },
      { ...base, eventType: 'WhseTransfers', referenceId: reference, quantity: units, fc: fcs[1] ?? fcs[0]! },
    ];
  }
  return [
    { ...base, eventType: 'Adjustments', quantity: -1, reason: 'Q' },
    { ...base, eventType: 'Adjustments', quantity: 1, reason: 'P', disposition: 'CUSTOMER_DAMAGED' },
  ];
}
