// A proof packet rendered from real rows in PostgreSQL: it reads as a PDF (pdftoppm, pdftotext),
// says what it must, is the same bytes for the same data, and is served only to its seller.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/http/auth.js';
import { buildProofPacket, findProofPacket, renderProofPacket } from '../../src/proof/proof-packet.js';
import { feeCharges } from '../../src/store/schema/billing-tables.js';
import { claims } from '../../src/store/schema/claims-tables.js';
import { claimEvidence, evidenceFiles, evidenceItems } from '../../src/store/schema/evidence-tables.js';
import { reimbursements } from '../../src/store/schema/payouts-tables.js';
import { syncSources } from '../../src/store/schema/sync-tables.js';
import { testCapabilities } from '../support/capabilities.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { describeWithPostgres } from '../support/infra.js';
import { waitFor } from '../support/wait.js';
import { storeLine } from '../support/report-lines.js';

const run = promisify(execFile);
const USER = 'seller-proof';
const CLAIM = 'clm-proof-1';
const CASE = '17345678901';
const PAYOUT = 'RMB-2938475610';
const HEADER = 'Date\tFNSKU\tASIN\tMSKU\tTitle\tEvent Type\tReference ID\tQuantity\tFulfillment Center\tDisposition\tReason';
const LINE_1 = '2026-10-02\tX00PROOF01\tB0PROOF001\tMSKU-PROOF\tBamboo Cutting Board\tAdjustments\t880012345\t-3\tPHX7\tSELLABLE\tM';
const LINE_2 = '2026-10-09\tX00PROOF01\tB0PROOF001\tMSKU-PROOF\tBamboo Cutting Board\tAdjustments\t880012399\t-1\tPHX7\tSELLABLE\t5';

describeWithPostgres('proof packets', () => {
  let t: TestClario;
  const dir = mkdtempSync(join(tmpdir(), 'clario-proof-'));
  beforeAll(async () => {
    t = await startTestClario({ store: 'postgres', capabilities: testCapabilities() });
    const db = t.clario.database.db;
    await db.insert(syncSources).values({ syncId: 'sync-proof', source: 'ledger', userId: USER, status: 'done', header: HEADER, documentId: 'amzn1.tortuga.doc.PROOF', rows: 2 });
    for (const [line, lineNo] of [[LINE_1, 1042], [LINE_2, 1077]] as const) {
      await storeLine(db, { userId: USER, source: 'ledger', line, syncId: 'sync-proof', documentId: 'amzn1.tortuga.doc.PROOF', lineNo });
    }
    const file = 'GET_LEDGER_DETAIL_VIEW_DATA.tsv';
    const filed = (id: string, user: string) => ({
      id,
      userId: user,
      syncId: 'sync-proof',
      type: 'lost_warehouse',
      status: 'filed' as const,
      amountMinor: 4961,
      currency: 'USD',
      quantity: 4,
      deadline: '2026-12-01',
      caseId: id === CLAIM ? CASE : `CASE-${id}`,
      details: {
        type: 'lost_warehouse',
        sku: 'MSKU-PROOF',
        fnsku: 'X00PROOF01',
        key: { fnsku: 'X00PROOF01' },
        sources: [
          { file, document_id: 'amzn1.tortuga.doc.PROOF', line: 1042, sync_id: 'sync-proof' },
          { file, document_id: 'amzn1.tortuga.doc.PROOF', line: 1077, sync_id: 'sync-proof' },
        ],
      },
    });
    await db.insert(claims).values([filed(CLAIM, USER), filed('clm-proof-other', 'seller-other')]);
    await db.insert(evidenceFiles).values({
      id: 'evf-1',
      userId: USER,
      sha256: 'a'.repeat(64),
      filename: 'invoice-INV-88.pdf',
      contentType: 'application/pdf',
      sizeBytes: 12345,
      kind: 'invoice',
      status: 'parsed',
      report: { lines: 1 },
    });
    const [item] = await db
      .insert(evidenceItems)
      .values({ fileId: 'evf-1', userId: USER, lineNo: 3, documentRef: 'INV-88', supplier: 'Acme Woodworks', sku: 'MSKU-PROOF', quantity: 40, unitCostMinor: 1240, currency: 'USD', date: '2026-08-15' })
      .returning({ id: evidenceItems.id });
    await db.insert(claimEvidence).values({ claimId: CLAIM, fileId: 'evf-1', userId: USER, role: 'invoice', itemIds: [item!.id], units: 4 });

    // The real workflow pays the claim: its phase 7 audit rows are the timeline's end.
    const r = await t.request('/api/v1/workflow/payout/received', { body: { user_id: USER, claim_id: CLAIM, case_id: CASE, payout_id: PAYOUT, amount_minor: 4961, currency: 'USD' } });
    expect(r.status).toBe(202);
    await waitFor(async () => (await t.request(`/api/v1/workflow/events/${r.body.event_id}`)).body.status === 'completed', 'phase 7');
    await db.insert(reimbursements).values({
      userId: USER,
      reimbursementId: PAYOUT,
      lineKey: 'MSKU-PROOF',
      caseId: CASE,
      claimId: CLAIM,
      kind: 'reimbursement',
      reason: 'Lost_Warehouse',
      sku: 'MSKU-PROOF',
      fnsku: 'X00PROOF01',
      quantity: 4,
      amountMinor: 4961,
      currency: 'USD',
      approvalDate: new Date('2026-11-20T00:00:00Z'),
      attributed: true,
    });
    await db.insert(feeCharges).values({
      payoutId: PAYOUT,
      userId: USER,
      claimId: CLAIM,
      caseId: CASE,
      kind: 'charge',
      reimbursedMinor: 4961,
      feeMinor: 992,
      currency: 'USD',
      rateBp: 2000,
      status: 'charged',
    });
  });
  afterAll(async () => {
    await t?.close();
    if (!process.env.KEEP_PROOF_DIR) rmSync(dir, { recursive: true, force: true });
    else console.log(dir);
  });

  it('renders the claim, its lines, evidence, case, payout, fee arithmetic and timeline, as a real PDF', async () => {
    const db = t.clario.database.db;
    const built = await db.transaction((tx) => buildProofPacket(tx, { claimId: CLAIM, userId: USER, payoutId: PAYOUT }));
    expect(built.stored).toBe(true);
    expect(built.sha256).toBe(createHash('sha256').update(built.bytes).digest('hex'));
    const pdf = join(dir, 'proof.pdf');
    writeFileSync(pdf, built.bytes);

    await run('pdftoppm', ['-png', '-r', '50', pdf, join(dir, 'page')]);
    const pngs = readdirSync(dir).filter((f) => f.startsWith('page') && f.endsWith('.png'));
    expect(pngs.length).toBeGreaterThanOrEqual(1);
    for (const png of pngs) expect(statSync(join(dir, png)).size).toBeGreaterThan(2000);

    const { stdout } = await run('pdftotext', ['-layout', pdf, '-']);
    const text = stdout.replace(/\s+/g, ' ');
    expect(text).toContain(CLAIM);
    expect(text).toContain(CASE);
    expect(text).toContain(PAYOUT);
    expect(text).toContain('Lost in Amazon warehouse (lost_warehouse)');
    // A report line as Amazon sent it (tabs shown as |), with its document and line number.
    expect(text).toContain('2026-10-02 | X00PROOF01 | B0PROOF001 | MSKU-PROOF');
    expect(text).toContain('document amzn1.tortuga.doc.PROOF, line 1042');
    expect(text).toContain('invoice-INV-88.pdf');
    expect(text).toContain('INV-88 / Acme Woodworks');
    expect(text).toContain('49.61 USD x 20.00% = 9.922 USD, rounded half-up to the minor unit: fee 9.92 USD');
    expect(text).toContain('49.61 USD for 4 units');
    expect(text).toMatch(/phase 7 Hyper-transparency layer: running -> completed/);
    expect(text).toContain('sha256sum');
  });

  it('gives the same bytes for the same data', async () => {
    const db = t.clario.database.db;
    const a = await renderProofPacket(db, { claimId: CLAIM, payoutId: PAYOUT });
    const b = await db.transaction((tx) => renderProofPacket(tx, { claimId: CLAIM, payoutId: PAYOUT }));
    expect(b.sha256).toBe(a.sha256);
    expect(Buffer.compare(a.bytes, b.bytes)).toBe(0);
    // Stored once: the same payout again keeps the first packet.
    const again = await buildProofPacket(db, { claimId: CLAIM, userId: USER, payoutId: PAYOUT });
    expect(again.stored).toBe(false);
  });

  it('serves the stored bytes to their seller (token or session cookie) with their hash, and to no one else', async () => {
    const stored = await findProofPacket(t.clario.database.db, CLAIM);
    expect(stored).toBeDefined();
    const token = await t.sellerToken(USER);
    const viaToken = await fetch(`${t.url}/api/v1/claims/${CLAIM}/proof.pdf`, { headers: { authorization: `Bearer ${token}` } });
    expect(viaToken.status).toBe(200);
    expect(viaToken.headers.get('content-type')).toBe('application/pdf');
    expect(viaToken.headers.get('content-disposition')).toBe(`attachment; filename="clario-proof-${CLAIM}.pdf"`);
    const bytes = Buffer.from(await viaToken.arrayBuffer());
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(viaToken.headers.get('x-content-sha256')).toBe(sha);
    expect(sha).toBe(stored!.sha256);

    const viaCookie = await fetch(`${t.url}/api/v1/claims/${CLAIM}/proof.pdf`, { headers: { cookie: `${SESSION_COOKIE}=${token}` } });
    expect(viaCookie.status).toBe(200);
    expect(createHash('sha256').update(Buffer.from(await viaCookie.arrayBuffer())).digest('hex')).toBe(sha);

    const meta = await t.request(`/api/v1/claims/${CLAIM}/proof`, { token });
    expect(meta.status).toBe(200);
    expect(meta.body).toEqual({
      claim_id: CLAIM,
      sha256: sha,
      size_bytes: bytes.length,
      created_at: expect.any(String),
      payout_id: PAYOUT,
      download: `/api/v1/claims/${CLAIM}/proof.pdf`,
    });
    expect((await t.request(`/api/v1/claims/${CLAIM}/proof.pdf`)).status).toBe(200);

    const other = await t.sellerToken('seller-other');
    for (const path of [`/api/v1/claims/${CLAIM}/proof.pdf`, `/api/v1/claims/${CLAIM}/proof`]) {
      const r = await t.request(path, { token: other });
      expect(r.status).toBe(404);
      expect(r.body.error).toEqual({ code: 'not_found', message: 'no such claim' });
    }
    expect((await t.request(`/api/v1/claims/${CLAIM}/proof.pdf`, { token: null })).status).toBe(401);
  });

  it('says clearly when a claim has no packet yet', async () => {
    const r = await t.request('/api/v1/claims/clm-proof-other/proof.pdf', { token: await t.sellerToken('seller-other') });
    expect(r.status).toBe(404);
    expect(r.body.error.message).toMatch(/no proof packet yet.*when Amazon pays the claim/);
    expect((await t.request('/api/v1/claims/no-such-claim/proof')).body.error.message).toBe('no such claim');
  });
});
