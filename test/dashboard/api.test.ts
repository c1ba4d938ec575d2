// The dashboard's read API over a real Clario (PGlite): the session, the claims table and page,
// the money overview, connected clients, and the page served at `/`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJournal } from '../../src/billing/ledger-store.js';
import { chargeJournal, feeJournal } from '../../src/domain/ledger.js';
import { money } from '../../src/domain/money.js';
import { feeCharges } from '../../src/store/schema/billing-tables.js';
import { claims } from '../../src/store/schema/claims-tables.js';
import { claimEvidence, evidenceFiles } from '../../src/store/schema/evidence-tables.js';
import { filings } from '../../src/store/schema/filing-tables.js';
import { rejections } from '../../src/store/schema/learning-tables.js';
import { reimbursements } from '../../src/store/schema/payouts-tables.js';
import { proofPackets } from '../../src/store/schema/proof-tables.js';
import { phaseAudit } from '../../src/store/schema/workflow-tables.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { waitFor } from '../support/wait.js';
import { openWs } from '../support/ws.js';

const A = 'seller_dash_a';
const B = 'seller_dash_b';
const nextYear = `${new Date().getUTCFullYear() + 1}`;

describe('the dashboard API', () => {
  let t: TestClario;
  let webDir: string;
  let tokenA: string;
  let tokenB: string;

  beforeAll(async () => {
    webDir = mkdtempSync(join(tmpdir(), 'clario-web-'));
    mkdirSync(join(webDir, 'assets'));
    writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Clario</title><div id="root"></div>');
    writeFileSync(join(webDir, 'assets', 'index-abc123.js'), 'console.log(1)');
    t = await startTestClario({ webDir });
    tokenA = await t.sellerToken(A);
    tokenB = await t.sellerToken(B);
    const db = t.clario.database.db;
    // Seller A: 12 claims of two types and several statuses; seller B: one claim.
    const statuses = ['detected', 'prompted', 'held', 'ready', 'filed', 'paid'] as const;
    await db.insert(claims).values(
      Array.from({ length: 12 }, (_, i) => ({
        id: `a-${String(i).padStart(2, '0')}`,
        userId: A,
        type: i % 2 === 0 ? 'lost_warehouse' : 'damaged_warehouse',
        status: statuses[i % statuses.length]!,
        amountMinor: i === 3 ? null : 1000 + 250 * i,
        currency: i === 3 ? null : 'USD',
        quantity: i + 1,
        deadline: i === 5 ? null : `${nextYear}-0${1 + (i % 9)}-15`,
        confidence: i === 7 ? null : (i % 10) / 10,
        details: { sources: [{ source: 'GET_LEDGER_DETAIL_VIEW_DATA', document_id: 'doc-1', line: 10 + i }] },
        score: { reasons: [`reason ${i}`] },
      })),
    );
    await db.insert(claims).values({ id: 'b-00', userId: B, type: 'lost_warehouse', status: 'detected', amountMinor: 99_999, currency: 'USD', quantity: 1, deadline: `${nextYear}-01-01` });
    await db.insert(filings).values({
      id: 'filing-1', userId: A, channel: 'simulator', caseId: 'CASE-1', status: 'approved', claimIds: ['a-05'], subject: 'Lost units', body: 'text', attachments: [], filedOn: '2026-10-01',
    });
    await db.update(claims).set({ filingId: 'filing-1', caseId: 'CASE-1' }).where(eq(claims.id, 'a-05'));
    await db.insert(evidenceFiles).values({ id: 'file-1', userId: A, sha256: 'f'.repeat(64), filename: 'invoice.pdf', contentType: 'application/pdf', sizeBytes: 10, kind: 'invoice', status: 'parsed', report: {} });
    await db.insert(claimEvidence).values({ claimId: 'a-05', fileId: 'file-1', userId: A, role: 'invoice', itemIds: [1], units: 6 });
    await db.insert(reimbursements).values([
      { userId: A, reimbursementId: 'R1', lineKey: 'x', caseId: 'CASE-1', claimId: 'a-05', kind: 'reimbursement', amountMinor: 2250, currency: 'USD', approvalDate: new Date('2026-09-10T00:00:00Z'), attributed: true },
      { userId: A, reimbursementId: 'R2', lineKey: 'x', caseId: 'CASE-2', claimId: null, kind: 'reimbursement', amountMinor: 700, currency: 'USD', approvalDate: new Date('2026-10-03T00:00:00Z'), attributed: true },
      // Amazon's own: shown nowhere in "recovered", never billed.
      { userId: A, reimbursementId: 'R3', lineKey: 'x', caseId: null, claimId: null, kind: 'reimbursement', amountMinor: 5000, currency: 'USD', approvalDate: new Date('2026-10-05T00:00:00Z'), attributed: false },
    ]);
    // Phase 7 credited R1 to a-05 and Stripe collected its fee; R2 was credited to no claim.
    await db.insert(feeCharges).values({ payoutId: 'R1', userId: A, claimId: 'a-05', caseId: 'CASE-1', kind: 'charge', reimbursedMinor: 2250, feeMinor: 450, currency: 'USD', rateBp: 2000, status: 'charged', createdAt: new Date('2026-09-12T00:00:00Z') });
    for (const journal of [feeJournal, chargeJournal]) await postJournal(db, journal('R1', A, money(450, 'USD')), { userId: A, claimId: 'a-05', payoutId: 'R1' });
    await db.insert(proofPackets).values({ claimId: 'a-05', userId: A, payoutId: 'R1', sha256: 'a'.repeat(64), bytes: new Uint8Array([37, 80, 68, 70]), sizeBytes: 4 });
    await db.insert(phaseAudit).values({ eventId: 'ev-1', phase: 5, userId: A, claimId: 'a-05', lane: 'claim:a-05', fromStatus: 'pending', toStatus: 'running', attempt: 1 });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  it('gives a signed-in seller a short-lived bearer token from the session cookie, and nobody else', async () => {
    const withCookie = await t.request('/api/v1/session', { token: null, headers: { cookie: `clario_session=${tokenA}` } });
    expect(withCookie.status).toBe(200);
    expect(withCookie.body).toMatchObject({ user_id: A, role: 'seller', token: expect.any(String) });
    expect(Date.parse(withCookie.body.expires_at)).toBeGreaterThan(Date.now());
    // The token it gives out works as a bearer token for the same seller.
    const again = await t.request('/api/v1/session', { token: withCookie.body.token });
    expect(again.body.user_id).toBe(A);
    expect((await t.request('/api/v1/session')).body).toMatchObject({ role: 'service', user_id: null, token: null });
    expect((await t.request('/api/v1/session', { token: null })).status).toBe(401);
    // Signing out clears the cookie; it takes the bearer token, so a cross-site request cannot.
    const viaCookie = await fetch(`${t.url}/api/v1/session`, { method: 'DELETE', headers: { cookie: `clario_session=${tokenA}` } });
    expect(viaCookie.status).toBe(401);
    const out = await fetch(`${t.url}/api/v1/session`, { method: 'DELETE', headers: { authorization: `Bearer ${tokenA}` } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^clario_session=;.*Expires=Thu, 01 Jan 1970/i);
    // It ends the session: the cookie's token and the page's are refused from now on.
    expect((await t.request('/api/v1/session', { token: null, headers: { cookie: `clario_session=${tokenA}` } })).status).toBe(401);
    expect((await t.request('/api/v1/session', { token: withCookie.body.token })).status).toBe(401);
    expect((await t.request('/api/v1/session', { token: 'forged' })).status).toBe(401);
    tokenA = await t.sellerToken(A); // signed in again for the tests below
  });

  it('lists only the seller\'s own claims, sorted and filtered, a page at a time without repeats', async () => {
    const all = await t.request('/api/v1/claims?sort=value&order=desc&limit=100', { token: tokenA });
    expect(all.status).toBe(200);
    expect(all.body.claims).toHaveLength(12);
    expect(all.body.claims.every((c: any) => c.id.startsWith('a-'))).toBe(true);
    expect(all.body.types).toEqual(['damaged_warehouse', 'lost_warehouse']);
    const values = all.body.claims.map((c: any) => c.amount?.minor ?? -1);
    expect(values).toEqual([...values].sort((x: number, y: number) => y - x));
    expect(all.body.claims[0]).toMatchObject({ id: 'a-11', amount: { minor: 3750, currency: 'USD' }, quantity: 12, type: 'damaged_warehouse' });

    for (const sort of ['deadline', 'value', 'confidence', 'created'] as const) {
      for (const order of ['asc', 'desc'] as const) {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const q: string = `/api/v1/claims?sort=${sort}&order=${order}&limit=5${cursor ? `&cursor=${cursor}` : ''}`;
          const page = await t.request(q, { token: tokenA });
          expect(page.status).toBe(200);
          seen.push(...page.body.claims.map((c: any) => c.id));
          cursor = page.body.next_cursor;
        } while (cursor);
        expect(seen).toHaveLength(12);
        expect(new Set(seen).size).toBe(12);
      }
    }
    const deadlines = (await t.request('/api/v1/claims?sort=deadline&order=asc&limit=100', { token: tokenA })).body.claims.map((c: any) => c.deadline);
    expect(deadlines[deadlines.length - 1]).toBeNull();
    expect(deadlines.slice(0, -1)).toEqual([...deadlines.slice(0, -1)].sort());

    const filtered = await t.request('/api/v1/claims?status=filed,paid&type=lost_warehouse', { token: tokenA });
    expect(filtered.body.claims.map((c: any) => c.id).sort()).toEqual(['a-04', 'a-10']);
    expect((await t.request('/api/v1/claims?status=bogus', { token: tokenA })).status).toBe(400);
    expect((await t.request('/api/v1/claims?cursor=nonsense', { token: tokenA })).status).toBe(400);
    expect((await t.request(`/api/v1/claims?user_id=${B}`, { token: tokenA })).status).toBe(403);
    expect((await t.request('/api/v1/claims')).status).toBe(400);
    const asService = await t.request(`/api/v1/claims?user_id=${B}`);
    expect(asService.body.claims.map((c: any) => c.id)).toEqual(['b-00']);
    expect((await t.request('/api/v1/claims', { token: null })).status).toBe(401);
  });

  it("shows a claim's reasons, lineage, evidence, case, payouts, timeline and proof to its seller only", async () => {
    const page = await t.request('/api/v1/claims/a-05', { token: tokenA });
    expect(page.status).toBe(200);
    expect(page.body.claim).toMatchObject({ id: 'a-05', case_id: 'CASE-1', score: { reasons: ['reason 5'] }, details: { sources: [{ line: 15 }] } });
    expect(page.body.evidence).toEqual([expect.objectContaining({ file_id: 'file-1', filename: 'invoice.pdf', role: 'invoice', units: 6 })]);
    expect(page.body.filing).toMatchObject({ id: 'filing-1', case_id: 'CASE-1', status: 'approved' });
    expect(page.body.reimbursements).toEqual([expect.objectContaining({ reimbursement_id: 'R1', amount: { minor: 2250, currency: 'USD' }, attributed: true })]);
    expect(page.body.timeline).toEqual([expect.objectContaining({ event_id: 'ev-1', phase: 5, from: 'pending', to: 'running' })]);
    expect(page.body.proof).toMatchObject({ sha256: 'a'.repeat(64), size_bytes: 4, payout_id: 'R1' });
    // The claims table shows the same claim the same way: the page adds to the row, never restates it.
    const row = (await t.request('/api/v1/claims?limit=100', { token: tokenA })).body.claims.find((c: any) => c.id === 'a-05');
    expect(Object.keys(row).sort()).toEqual(['amount', 'case_id', 'confidence', 'created_at', 'deadline', 'id', 'quantity', 'status', 'type']);
    expect(page.body.claim).toMatchObject(row);
    const other = await t.request('/api/v1/claims/a-05', { token: tokenB });
    expect(other.status).toBe(404);
    expect(JSON.stringify(other.body)).not.toMatch(/CASE-1/);
    expect((await t.request('/api/v1/claims/a-05')).status).toBe(200);
    expect((await t.request('/api/v1/claims/nope', { token: tokenA })).status).toBe(404);
  });

  it('sums recovered money from the payouts phase 7 credited only, with fees, months and the next deadlines', async () => {
    const o = await t.request(`/api/v1/sellers/${A}/overview`, { token: tokenA });
    expect(o.status).toBe(200);
    // R1 only: R2 was credited to no claim, R3 is Amazon's own.
    expect(o.body.recovered).toEqual([{ minor: 2250, currency: 'USD' }]);
    expect(o.body.fees_charged).toEqual([{ minor: 450, currency: 'USD' }]);
    expect(o.body.fees_refunded).toEqual([]);
    expect(o.body.fees_net).toEqual([{ minor: 450, currency: 'USD' }]);
    expect(o.body.recovered_by_month).toEqual([{ month: '2026-09', minor: 2250, currency: 'USD' }]);
    // Filed claims: a-04 (2000) and a-10 (3500).
    expect(o.body.pending).toEqual([{ minor: 5500, currency: 'USD' }]);
    // Open claims weighted by confidence: a-00 ×0, a-01 1250×.1, a-02 1500×.2, a-03 has no amount,
    // a-06 2500×.6, a-07 has no confidence, a-08 3000×.8, a-09 3250×.9.
    const expected = Math.round(1250 * 0.1) + Math.round(1500 * 0.2) + Math.round(2500 * 0.6) + Math.round(3000 * 0.8) + Math.round(3250 * 0.9);
    expect(o.body.expected).toEqual([{ minor: expected, currency: 'USD' }]);
    expect(o.body.next_deadlines).toHaveLength(5);
    const dl = o.body.next_deadlines.map((d: any) => d.deadline);
    expect(dl).toEqual([...dl].sort());
    expect(o.body.connection).toBeNull();
    expect((await t.request(`/api/v1/sellers/${A}/overview`, { token: tokenB })).status).toBe(403);
  });

  it('opens the table on what the seller can act on, says who each deadline waits for, and explains a rejection', async () => {
    const C = 'seller_dash_c';
    const tokenC = await t.sellerToken(C);
    const db = t.clario.database.db;
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const c = (id: string, status: 'detected' | 'prompted' | 'held' | 'ready' | 'filed' | 'rejected' | 'paid' | 'expired', deadline: string, more: object = {}) => ({
      id, userId: C, type: 'lost_warehouse', status, amountMinor: 1000, currency: 'USD', quantity: 1, deadline, ...more,
    });
    await db.insert(claims).values([
      c('c-expired', 'expired', day(-30)),
      c('c-paid', 'paid', day(-20)),
      c('c-late-held', 'held', day(-1)),
      c('c-grace', 'detected', day(3), { details: { detection_status: 'pending' } }),
      c('c-held', 'held', day(5), { score: { missing: ['upload_invoice', 'confirm'] } }),
      c('c-filed', 'filed', day(2)),
      c('c-prompted', 'prompted', day(40)),
      c('c-rejected', 'rejected', day(50), { caseId: 'CASE-C' }),
    ]);
    await db.insert(rejections).values({
      userId: C, claimId: 'c-rejected', caseId: 'CASE-C', reasonCode: 'already_reimbursed', rawText: 'These units have already been reimbursed.', action: 'closed',
    });

    // The default order of the page: act first, nearest deadline first, what is over at the end.
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = (await t.request(`/api/v1/claims?sort=action&order=asc&limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token: tokenC })).body;
      ids.push(...page.claims.map((x: any) => x.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(ids).toEqual(['c-held', 'c-prompted', 'c-grace', 'c-filed', 'c-rejected', 'c-paid', 'c-expired', 'c-late-held']);

    // Next deadlines: only what can still be filed, each saying who it waits for.
    const o = (await t.request(`/api/v1/sellers/${C}/overview`, { token: tokenC })).body;
    expect(o.next_deadlines.map((d: any) => [d.claim_id, d.waiting_on])).toEqual([
      ['c-grace', 'amazon'],
      ['c-held', 'you'],
      ['c-prompted', 'you'],
    ]);
    expect(o.next_deadlines[0].why).toMatch(/grace period/);
    expect(o.next_deadlines[1].why).toMatch(/upload the supplier invoice/);

    // A rejected claim says Amazon's reason and what Clario does next.
    const rejected = (await t.request('/api/v1/claims/c-rejected', { token: tokenC })).body;
    expect(rejected.rejection).toMatchObject({
      case_id: 'CASE-C',
      reason_code: 'already_reimbursed',
      reason: 'Amazon says these units were already reimbursed',
      amazon_text: 'These units have already been reimbursed.',
      action: 'closed',
      next_step: expect.stringMatching(/^Clario closed the claim/),
    });
    expect((await t.request('/api/v1/claims/c-held', { token: tokenC })).body).toMatchObject({ rejection: null, claim: { waiting: { on: 'you' } } });
  });

  it('shows the SKUs Amazon paid below their manufacturing cost, and what setting the cost on Amazon would have been worth', async () => {
    const D = 'seller_dash_cost';
    const tokenD = await t.sellerToken(D);
    const u = (id: string, sku: string, minor: number, currency: string, quantity: number, more: object = {}) => ({
      id, userId: D, type: 'underpaid_reimbursement', status: 'expired' as const, amountMinor: minor, currency, quantity, deadline: '2026-01-01', details: { sku }, ...more,
    });
    await t.clario.database.db.insert(claims).values([
      u('d-1', 'MUG', 1240, 'USD', 4),
      u('d-2', 'MUG', 310, 'USD', 1, { status: 'paid' }),
      u('d-3', 'LAMP', 2001, 'USD', 3, { status: 'detected' }),
      u('d-4', 'LAMP', 900, 'EUR', 2),
      // The seller said this one was wrong (a mistyped cost); a lost unit is no underpayment.
      u('d-5', 'MUG', 99_999, 'USD', 9, { status: 'dismissed' }),
      { ...u('d-6', 'MUG', 5000, 'USD', 1), type: 'lost_warehouse' },
    ]);
    const o = (await t.request(`/api/v1/sellers/${D}/overview`, { token: tokenD })).body;
    expect(o.below_manufacturing_cost).toEqual({
      skus: [
        { sku: 'LAMP', units: 3, reimbursements: 1, worth: { minor: 2001, currency: 'USD' } },
        { sku: 'MUG', units: 5, reimbursements: 2, worth: { minor: 1550, currency: 'USD' } },
        { sku: 'LAMP', units: 2, reimbursements: 1, worth: { minor: 900, currency: 'EUR' } },
      ],
      worth: [
        { minor: 900, currency: 'EUR' },
        { minor: 3551, currency: 'USD' },
      ],
    });
    expect((await t.request(`/api/v1/sellers/${A}/overview`, { token: tokenA })).body.below_manufacturing_cost).toEqual({ skus: [], worth: [] });
  });

  it('shows the fees not collected yet: owed (less what a reversal gave back) and declined, apart from those charged', async () => {
    const db = t.clario.database.db;
    const fee = { userId: A, claimId: 'a-05', caseId: 'CASE-1', currency: 'USD', rateBp: 2000 } as const;
    await db.insert(feeCharges).values([
      { ...fee, payoutId: 'OWE-1', kind: 'charge', reimbursedMinor: 199, feeMinor: 40, status: 'deferred' },
      { ...fee, payoutId: 'OWE-REV-1', kind: 'refund', reversesPayoutId: 'OWE-1', reimbursedMinor: -50, feeMinor: -10, status: 'cancelled' },
      { ...fee, payoutId: 'DECL-1', kind: 'charge', reimbursedMinor: 1000, feeMinor: 200, status: 'failed' },
    ]);
    try {
      const o = (await t.request(`/api/v1/sellers/${A}/overview`, { token: tokenA })).body;
      expect(o.fees_owed).toEqual([{ minor: 30, currency: 'USD' }]);
      expect(o.fees_declined).toEqual([{ minor: 200, currency: 'USD' }]);
      expect(o.fees_charged).toEqual([{ minor: 450, currency: 'USD' }]);
    } finally {
      await db.delete(feeCharges).where(inArray(feeCharges.payoutId, ['OWE-1', 'OWE-REV-1', 'DECL-1']));
    }
  });

  it('lists connected WebSocket clients to the service only', async () => {
    const ws = await openWs(`${t.url.replace('http', 'ws')}/ws?token=${tokenA}`);
    try {
      await waitFor(async () => (await t.request('/api/v1/ops/clients')).body.total === 1, 'the client to show');
      expect((await t.request('/api/v1/ops/clients')).body.clients).toEqual([{ user_id: A, connections: 1 }]);
      expect((await t.request('/api/v1/ops/clients', { token: tokenA })).status).toBe(403);
    } finally {
      ws.close();
    }
  });

  it('serves the page publicly, with client routes, cached assets and no data', async () => {
    const page = await fetch(`${t.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<div id="root">/);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const deep = await fetch(`${t.url}/claims/a-05`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toMatch(/<div id="root">/);
    const asset = await fetch(`${t.url}/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    // The API stays authenticated and answers JSON errors.
    const api = await fetch(`${t.url}/api/v1/nope`);
    expect(api.status).toBe(401);
    const missing = await fetch(`${t.url}/nope`, { headers: { authorization: `Bearer ${t.serviceToken}` } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
