// An invoice uploaded again with other bytes, over HTTP on a whole Clario: the copy is a file of
// its own (its SHA-256 differs), but its lines prove nothing the first upload did not, so a claim
// for more units than the invoice proves is not filed on it, and the seller reads why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/store/db.js';
import { claims } from '../../src/store/schema/claims-tables.js';
import { syncRuns } from '../../src/store/schema/sync-tables.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { waitFor } from '../support/wait.js';
import { inThreadReader } from './support/in-thread-reader.js';

const SKU = 'DL-1032-SAG-US';
const INVOICE = `invoice number,supplier,seller-sku,description,quantity,unit cost\nINV-7001,Acme Lighting,${SKU},Sage desk lamp,2,13.05\n`;

describe('the same invoice uploaded twice with different bytes', () => {
  let t: TestClario;
  let token: string;

  async function upload(name: string, bytes: string) {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: 'text/csv' }), name);
    const res = await fetch(`${t.url}/api/v1/evidence`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as any };
  }
  const claimRow = async () =>
    (await rows<{ status: string; confidence: number; score: any }>(t.clario.database.db, sql`SELECT status, confidence, score FROM claims WHERE id = 'clm_lamp'`))[0]!;

  beforeAll(async () => {
    t = await startTestClario({ evidenceReader: inThreadReader() });
    token = await t.sellerToken('erin');
    const db = t.clario.database.db;
    await db.insert(syncRuns).values({ id: 'erin-run', userId: 'erin' });
    await db.insert(claims).values({
      id: 'clm_lamp',
      userId: 'erin',
      syncId: 'erin-run',
      type: 'lost_warehouse',
      status: 'detected',
      amountMinor: 3915,
      currency: 'USD',
      quantity: 3,
      // Far ahead: the filer never files a claim past its deadline.
      deadline: '2099-03-31',
      details: { type: 'lost_warehouse', sku: SKU, fnsku: 'X00LAMP', quantity: 3, key: { fnsku: 'X00LAMP' }, sources: [] },
    });
    const r = await t.request('/api/v1/workflow/phase/3', { body: { user_id: 'erin', sync_id: 'erin-run' } });
    expect(r.status).toBe(202);
    await waitFor(async () => (await t.request('/api/v1/workflow/status/erin')).body.runs[0]?.phases[3]?.status === 'completed', 'phase 4 of erin');
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('proves its 2 units once: a 3-unit claim is not fully covered, not filed, and says the copy repeats the invoice', async () => {
    const first = await upload('inv.csv', INVOICE);
    expect(first.status).toBe(201);
    expect(first.body.files[0].matched_claims).toEqual(['clm_lamp']);
    const once = await claimRow();
    expect(once.status).toBe('prompted');

    // The same invoice saved with CRLF line endings: other bytes, so another file.
    const copy = await upload('inv-copy.csv', INVOICE.replace(/\n/g, '\r\n'));
    expect(copy.status).toBe(201);
    expect(copy.body.files[0].id).not.toBe(first.body.files[0].id);
    expect(copy.body.files[0].matched_claims).toEqual(['clm_lamp']);

    const twice = await claimRow();
    expect(twice.status).toBe('prompted');
    expect(twice.confidence).toBe(once.confidence);
    expect(twice.score.components.coverage).toBeLessThan(0.2);
    expect(twice.score.reasons).toContain(`invoice INV-7001 covers 2 units of ${SKU} at 13.05 USD, undated`);
    expect(twice.score.reasons).toContain('inv-copy.csv repeats 2 units of invoice INV-7001 already in inv.csv: counted once');
    expect(twice.score.reasons).toContain('invoices cover 2 of the 3 units claimed');
    expect(twice.score.missing).toContain('upload_invoice');

    // The claim page's evidence: both files, their units adding up to what is proven.
    const page = await t.request('/api/v1/claims/clm_lamp', { token });
    expect(page.status).toBe(200);
    expect(page.body.evidence.map((e: any) => [e.filename, e.units]).sort()).toEqual([['inv-copy.csv', 0], ['inv.csv', 2]]);
  });
});
