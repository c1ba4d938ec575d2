import { describe, expect, it } from 'vitest';
import { detectFromRows } from '../../../src/detection/index.js';
import { adjustment, ago, AS_OF, cost, inboundItem, inboundShipment, ledger, reimbursement, run } from '../support/rows.js';

const receipt = (shipment: string, daysAgo: number, qty: number, sku = 'SKU-1') =>
  ledger({ date: ago(daysAgo), qty, event: 'Receipts', ref: shipment, sku });

describe('inbound_shortage', () => {
  it('claims the units a closed shipment is short, deadline 60 days after its last receipt', async () => {
    const claims = await run('inbound_shortage', {
      costs: [cost('4.00')],
      inbound: [inboundShipment('FBA1'), inboundItem('FBA1', 10, 7)],
      reimbursements: [],
      ledger: [receipt('FBA1', 30, 5), receipt('FBA1', 25, 2)],
    });
    expect(claims).toHaveLength(1);
    expect(claims[0]).toMatchObject({
      type: 'inbound_shortage',
      status: 'eligible',
      quantity: 3,
      amount: { minor: 1200, currency: 'USD' },
      deadline: ago(25 - 60),
      key: { shipment_id: 'FBA1', sku: 'SKU-1' },
    });
    expect(claims[0]?.sources.filter((s) => s.file === 'ledger.tsv')).toHaveLength(2);
  });

  it('is pending for 15 days after the last receipt, and expired 60 days after it', async () => {
    const rows = (daysAgo: number) => ({ inbound: [inboundShipment('FBA1'), inboundItem('FBA1', 5, 4)], reimbursements: [], ledger: [receipt('FBA1', daysAgo, 4)] });
    expect((await run('inbound_shortage', rows(14)))[0]?.status).toBe('pending');
    expect((await run('inbound_shortage', rows(15)))[0]?.status).toBe('eligible');
    expect((await run('inbound_shortage', rows(60)))[0]?.status).toBe('eligible');
    expect((await run('inbound_shortage', rows(61)))[0]?.status).toBe('expired');
  });

  it('a shipment that is not closed yet is not claimed', async () => {
    const claims = await run('inbound_shortage', { inbound: [inboundShipment('FBA1', 'RECEIVING'), inboundItem('FBA1', 5, 4)], reimbursements: [], ledger: [receipt('FBA1', 30, 4)] });
    expect(claims).toEqual([]);
  });

  it('units reimbursed as Lost_Inbound after the last receipt are not claimed; earlier payments do not count', async () => {
    const base = { inbound: [inboundShipment('FBA1'), inboundItem('FBA1', 10, 6)], ledger: [receipt('FBA1', 30, 6)] };
    expect(await run('inbound_shortage', { ...base, reimbursements: [reimbursement({ date: ago(20), reason: 'Lost_Inbound', cash: 4 })] })).toEqual([]);
    const partly = await run('inbound_shortage', { ...base, reimbursements: [reimbursement({ date: ago(20), reason: 'Lost_Inbound', cash: 3 })] });
    expect(partly.map((c) => c.quantity)).toEqual([1]);
    const before = await run('inbound_shortage', { ...base, reimbursements: [reimbursement({ date: ago(40), reason: 'Lost_Inbound', cash: 4 })] });
    expect(before.map((c) => c.quantity)).toEqual([4]);
    const viaEvent = await run('inbound_shortage', { ...base, financialEvents: [adjustment({ date: ago(20), type: 'MISSING_FROM_INBOUND', qty: 4 })] });
    expect(viaEvent).toEqual([]);
  });

  it('one Lost_Inbound payment covers one shortage, not every shipment of the SKU', async () => {
    const claims = await run('inbound_shortage', {
      inbound: [inboundShipment('FBA1'), inboundItem('FBA1', 5, 3), inboundShipment('FBA2'), inboundItem('FBA2', 5, 3)],
      reimbursements: [reimbursement({ date: ago(10), reason: 'Lost_Inbound', cash: 2 })],
      ledger: [receipt('FBA1', 40, 3), receipt('FBA2', 30, 3)],
    });
    expect(claims.map((c) => [c.key.shipment_id, c.quantity])).toEqual([['FBA2', 2]]);
  });

  it('a shortage with no ledger receipt to date it is reported, not claimed', async () => {
    const diagnostics: string[] = [];
    const { claims } = await detectFromRows(
      { inbound: [inboundShipment('FBA1'), inboundItem('FBA1', 5, 0)], reimbursements: [], ledger: [] },
      { asOf: AS_OF, types: ['inbound_shortage'], onDiagnostic: (d) => diagnostics.push(d.message) },
    );
    expect(claims).toEqual([]);
    expect(diagnostics).toEqual([expect.stringContaining('shipment FBA1 is short 5 units of SKU-1')]);
  });

  it('a fully received shipment is not claimed', async () => {
    expect(await run('inbound_shortage', { inbound: [inboundShipment('FBA1'), inboundItem('FBA1', 5, 5)], reimbursements: [], ledger: [receipt('FBA1', 30, 5)] })).toEqual([]);
  });
});
