import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Diagnostic, FinancialEvent, InboundRecord } from '../../../src/detection/index.js';
import { FINANCIAL_LISTS, financialEventReader } from '../../../src/detection/read/financial-events.js';
import { INBOUND_LISTS, inboundRecord } from '../../../src/detection/read/inbound.js';
import { readJson } from '../../../src/detection/read/json-file.js';
import { TRANSACTION_LISTS, transactionReader } from '../../../src/detection/read/transactions.js';
import { JsonStructureError, streamJsonLists } from '../../../src/detection/read/json-stream.js';
import type { FileStats } from '../../../src/detection/read/table.js';
import { removeTempDirs, tempDir } from '../support/files.js';

afterEach(removeTempDirs);

// A sync iterable is enough: `for await` accepts it, and chunk edges fall anywhere.
function* chunksOf(text: string, size: number): Generator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function items(text: string, size = 7) {
  const out: { list: string; value: unknown; line: number }[] = [];
  const bad: [number, string][] = [];
  for await (const batch of streamJsonLists(chunksOf(text, size), { a: ['Alpha'], b: ['beta_list'] }, (line, m) => bad.push([line, m]))) out.push(...batch);
  return { out, bad };
}

describe('streaming JSON', () => {
  it('yields the objects of the wanted lists with their line, at any depth, numbers as exact text', async () => {
    const text = '{"payload": {"FinancialEvents": {\n "Alpha": [\n  {"x": 0.1, "y": -24.99, "z": 1e2, "s": "a]}\\"b"},\n  {"n": [1, 2], "t": true, "u": null}\n ],\n "other": [{"x": 1}],\n "BetaList": [{"q": 3}]\n}}}';
    for (const size of [1, 3, 1000]) {
      const { out, bad } = await items(text, size);
      expect(bad).toEqual([]);
      expect(out).toEqual([
        { list: 'a', value: { x: '0.1', y: '-24.99', z: '1e2', s: 'a]}"b' }, line: 3 },
        { list: 'a', value: { n: ['1', '2'], t: true, u: null }, line: 4 },
        { list: 'b', value: { q: '3' }, line: 7 },
      ]);
    }
  });

  it('skips an element that is not valid JSON, reporting its line', async () => {
    const { out, bad } = await items('{"Alpha": [\n{"x": 1},\n{"x": 01x},\n{"x": 2}]}');
    expect(out.map((o) => o.line)).toEqual([2, 4]);
    expect(bad).toEqual([[3, expect.stringMatching(/not valid JSON/)]]);
  });

  it('throws on a truncated file, so that half a file never passes for a whole one', async () => {
    await expect(items('{"Alpha": [{"x": 1}, {"x":')).rejects.toThrow(JsonStructureError);
    await expect(items('{"Alpha": [}')).rejects.toThrow(/line 1: unexpected "}"/);
  });

  it('throws, at the line of the fault, on what is not JSON outside the lists it reads', async () => {
    // Each was read as a file with nothing in it, and its claims quietly not found.
    for (const size of [1, 4, 1000]) {
      await expect(items('{"FinancialEvents":\n abc}', size)).rejects.toThrow('line 2: unexpected "abc"');
      await expect(items('{"Alpha": [{"x": 1}]}\ntrailing junk', size)).rejects.toThrow('line 2: unexpected text after the JSON value');
      await expect(items('{"Alpha": [{"x": 1}]} {"Alpha": []}', size)).rejects.toThrow('line 1: unexpected text after the JSON value');
      await expect(items('{"a": 1 # comment\n}', size)).rejects.toThrow('line 1: unexpected "#"');
      await expect(items('{"a": tru, "Alpha": []}', size)).rejects.toThrow('line 1: unexpected "tru"');
      await expect(items('{"a": 01, "Alpha": []}', size)).rejects.toThrow('line 1: unexpected "01"');
    }
    // What JSON allows outside the lists still passes: numbers, literals, nesting, whitespace.
    const fine = await items('\r\n{"n": -1.5e3, "t": true, "f": false, "z": null, "o": {"p": [0, 2.25, {}]},\t"Alpha": [{"x": 1}]}\n\n', 3);
    expect(fine).toEqual({ out: [{ list: 'a', value: { x: '1' }, line: 2 }], bad: [] });
  });

  it('says so when a list it reads is an object instead, rather than reading nothing in silence', async () => {
    const { out, bad } = await items('{"Alpha": {"x": 1},\n "BetaList": [{"q": 3}]}');
    expect(bad).toEqual([[1, '"Alpha" is an object, not a list: its contents were not read']]);
    expect(out).toEqual([{ list: 'b', value: { q: '3' }, line: 2 }]);
  });
});

async function readFile<R>(name: string, text: string, lists: Readonly<Record<string, readonly string[]>>, toRow: (l: string, v: unknown, s: { file: string; line: number }) => R) {
  const path = join(tempDir(), name);
  writeFileSync(path, text);
  const stats: FileStats = { file: name, rows: 0, skipped: 0 };
  const diagnostics: Diagnostic[] = [];
  const rows: R[] = [];
  await readJson({ name, path, gzip: false, size: text.length }, lists, toRow, { stats, onDiagnostic: (d) => diagnostics.push(d) }, (r) => rows.push(r));
  return { rows, diagnostics, stats };
}

describe('inbound-shipments.json and financial-events.json', () => {
  it('reads shipments and items, and refuses an item without its received count', async () => {
    const text = '{"shipments": [{"ShipmentId": "FBA1", "ShipmentStatus": "CLOSED"}],\n"items": [\n{"ShipmentId": "FBA1", "SellerSKU": "S", "FulfillmentNetworkSKU": "X", "QuantityShipped": 4, "QuantityReceived": 3},\n{"ShipmentId": "FBA1", "SellerSKU": "S", "QuantityShipped": 4}\n]}';
    const { rows, diagnostics } = await readFile<InboundRecord>('inbound-shipments.json', text, INBOUND_LISTS, inboundRecord);
    expect(rows).toEqual([
      { kind: 'shipment', source: { file: 'inbound-shipments.json', line: 1 }, shipmentId: 'FBA1', status: 'CLOSED' },
      { kind: 'item', source: { file: 'inbound-shipments.json', line: 3 }, shipmentId: 'FBA1', sku: 'S', fnsku: 'X', shipped: 4, received: 3 },
    ]);
    expect(diagnostics).toEqual([{ file: 'inbound-shipments.json', line: 4, message: 'QuantityReceived is missing; skipped' }]);
  });

  it('takes refunded principal without tax, fees as positive amounts, and adjustment items', async () => {
    const text = JSON.stringify(
      {
        RefundEventList: [
          {
            AmazonOrderId: 'O1',
            PostedDate: '2026-10-01T23:30:00-07:00',
            ShipmentItemAdjustmentList: [
              {
                SellerSKU: 'S',
                QuantityShipped: 2,
                ItemChargeAdjustmentList: [
                  { ChargeType: 'Principal', ChargeAmount: { CurrencyCode: 'EUR', CurrencyAmount: -10.1 } },
                  { ChargeType: 'Principal', ChargeAmount: { CurrencyCode: 'EUR', CurrencyAmount: -10.2 } },
                  { ChargeType: 'Tax', ChargeAmount: { CurrencyCode: 'EUR', CurrencyAmount: -4.0 } },
                ],
              },
            ],
          },
        ],
        ShipmentEventList: [{ AmazonOrderId: 'O2', PostedDate: '2026-10-02T00:00:00Z', ShipmentItemList: [{ SellerSKU: 'S', QuantityShipped: 1, ItemFeeList: [{ FeeType: 'FBAPerUnitFulfillmentFee', FeeAmount: { CurrencyCode: 'JPY', CurrencyAmount: -318 } }] }] }],
        AdjustmentEventList: [{ AdjustmentType: 'WAREHOUSE_DAMAGE', PostedDate: '2026-10-03T00:00:00Z', AdjustmentItemList: [{ Quantity: '2', SellerSKU: 'S', FnSKU: 'X' }] }],
      },
      null,
      1,
    );
    const { rows, diagnostics } = await readFile<FinancialEvent>('financial-events.json', text, FINANCIAL_LISTS, financialEventReader());
    expect(diagnostics).toEqual([]);
    expect(rows.map((r) => ({ ...r, source: undefined, day: undefined }))).toEqual([
      { kind: 'refund', orderId: 'O1', items: [{ sku: 'S', quantity: 2, principal: { minor: 2030, currency: 'EUR' } }], source: undefined, day: undefined },
      { kind: 'shipment', orderId: 'O2', items: [{ sku: 'S', quantity: 1, fulfillmentFee: { minor: 318, currency: 'JPY' } }], source: undefined, day: undefined },
      { kind: 'adjustment', adjustmentType: 'WAREHOUSE_DAMAGE', items: [{ sku: 'S', fnsku: 'X', asin: undefined, quantity: 2 }], source: undefined, day: undefined },
    ]);
  });

  it('reads refunds and fulfilment fees from Finances 2024-06-19 transactions, and passes over other types', async () => {
    const money = (amount: number, code = 'USD') => ({ currencyAmount: amount, currencyCode: code });
    const product = (sku: string, quantityShipped: number) => ({ contextType: 'ProductContext', asin: 'B001', sku, quantityShipped, fulfillmentNetwork: 'AFN' });
    const text = JSON.stringify(
      {
        transactions: [
          {
            transactionType: 'Refund',
            postedDate: '2026-10-01T23:30:00-07:00',
            relatedIdentifiers: [{ relatedIdentifierName: 'FINANCIAL_EVENT_GROUP_ID', relatedIdentifierValue: 'G1' }, { relatedIdentifierName: 'ORDER_ID', relatedIdentifierValue: 'O1' }],
            items: [
              {
                contexts: [product('S', 2)],
                breakdowns: [
                  { breakdownType: 'ProductCharges', breakdownAmount: money(-24.3), breakdowns: [{ breakdownType: 'Principal', breakdownAmount: money(-20.3) }, { breakdownType: 'Tax', breakdownAmount: money(-4.0) }] },
                ],
              },
            ],
          },
          {
            transactionType: 'Shipment',
            postedDate: '2026-10-02T00:00:00Z',
            relatedIdentifiers: [{ relatedIdentifierName: 'ORDER_ID', relatedIdentifierValue: 'O2' }],
            items: [
              { description: 'shipping label', breakdowns: [] },
              {
                contexts: [product('S', 1)],
                breakdowns: [{ breakdownType: 'AmazonFees', breakdowns: [{ breakdownType: 'FBAPerUnitFulfillmentFee', breakdownAmount: money(-3.18) }, { breakdownType: 'Commission', breakdownAmount: money(-2.0) }] }],
              },
            ],
          },
          { transactionType: 'ServiceFee', postedDate: '2026-10-02T00:00:00Z', totalAmount: money(-39.99) },
          { transactionType: 'Refund', postedDate: '2026-10-02T00:00:00Z', relatedIdentifiers: [], items: [] },
        ],
      },
      null,
      1,
    );
    const reader = transactionReader();
    const { rows, diagnostics, stats } = await readFile('transactions.json', text, TRANSACTION_LISTS, reader);
    expect(rows.filter((r) => r !== undefined).map((r) => ({ ...r, source: undefined, day: undefined }))).toEqual([
      { kind: 'refund', orderId: 'O1', items: [{ sku: 'S', quantity: 2, principal: { minor: 2030, currency: 'USD' } }], source: undefined, day: undefined },
      { kind: 'shipment', orderId: 'O2', items: [{ sku: 'S', quantity: 1, fulfillmentFee: { minor: 318, currency: 'USD' } }], source: undefined, day: undefined },
    ]);
    expect(stats).toMatchObject({ rows: 3, skipped: 1 });
    expect(diagnostics.map((d) => d.message)).toEqual(['the ORDER_ID related identifier is missing; skipped']);
  });
});

