// The dashboard in a real browser (Debian's Chromium through playwright-core) against a real
// Clario with its bundled Amazon simulator: connect through the consent page, watch a sync's phases
// move live over the WebSocket, open a claim, answer a smart prompt, download a proof packet, and
// use the operator view. Screenshots of each page go to test-artifacts/screenshots/.
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import PDFDocument from 'pdfkit';
import type { Page } from 'playwright-core';
import { rows } from '../../src/store/db.js';
import type { ClaimStatus } from '../../src/domain/claim-status.js';
import { moveClaim } from '../../src/store/claim-rows.js';
import { openPrompt } from '../../src/store/prompt-rows.js';
import { postJournal } from '../../src/billing/ledger-store.js';
import { chargeJournal, feeJournal } from '../../src/domain/ledger.js';
import { money } from '../../src/domain/money.js';
import { feeCharges } from '../../src/store/schema/billing-tables.js';
import { claims } from '../../src/store/schema/claims-tables.js';
import { reimbursements } from '../../src/store/schema/payouts-tables.js';
import { proofPackets } from '../../src/store/schema/proof-tables.js';
import { readRejection } from '../../src/domain/rejection.js';
import { applyRejection } from '../../src/learning/capability.js';
import { eq } from 'drizzle-orm';
import { startTestClario, type TestClario } from '../support/clario.js';
import { waitFor } from '../support/wait.js';
import { buildWeb, chromiumFound, launchBrowser, shot, type Browser } from '../support/browser.js';
import { storeLine } from '../support/report-lines.js';

const describeBrowser = chromiumFound() ? describe : describe.skip;

function tinyPdf(title: string): Promise<Buffer> {
  return new Promise((done, fail) => {
    const doc = new PDFDocument({ size: 'A4' });
    const parts: Buffer[] = [];
    doc.on('data', (c: Buffer) => parts.push(c));
    doc.on('end', () => done(Buffer.concat(parts)));
    doc.on('error', fail);
    doc.text(title);
    doc.end();
  });
}

describeBrowser('the dashboard in a browser', () => {
  let t: TestClario;
  let webDir: string;
  let browser: Browser;
  let page: Page;
  let userId = '';
  let pageErrors: string[] = [];

  const api = (path: string) => t.request(path);
  /** An endpoint another part of Clario provides is missing from this build ("no route"). */
  const missing = async (path: string, method = 'GET') => {
    const r = await t.request(path, method === 'GET' ? {} : { method, body: {} });
    return r.status === 404 && /no route/.test(String(r.body?.error?.message));
  };

  beforeAll(async () => {
    webDir = await buildWeb();
    t = await startTestClario({ webDir, env: { WORKFLOW_MAX_ATTEMPTS: '2', WORKFLOW_LEASE_MS: '30000' } });
    browser = await launchBrowser();
    page = browser.page;
    pageErrors = browser.pageErrors;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    if (webDir) rmSync(webDir, { recursive: true, force: true });
  });

  it('signs in with Amazon, connects through the simulator and lands on the overview with the sync running', async () => {
    await page.goto(`${t.url}/`);
    const signIn = page.getByRole('link', { name: 'Sign in with Amazon' });
    await signIn.waitFor();
    await page.getByLabel('Token').waitFor();
    // The keyboard's first stop skips to the content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.textContent)).toBe('Skip to content');
    await shot(page, 'connect');
    await signIn.click();
    // The simulator's Login with Amazon page, as Amazon's would be: one click.
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${t.url}/overview`);
    const connect = page.getByRole('link', { name: 'Connect your Amazon seller account' });
    await connect.waitFor();
    const session: any = await page.evaluate(async () => (await fetch('/api/v1/session')).json());
    userId = session.user_id;
    expect(userId).toMatch(/^seller_[0-9a-f]{24}$/);
    expect(await page.getByRole('banner').textContent()).toContain(userId);
    await connect.click();
    // The simulator's consent page, as Seller Central's would be.
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL(`${t.url}/overview`);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.getByText('Amazon seller').waitFor();
    expect(await page.getByRole('link', { name: 'Connect your Amazon seller account' }).count()).toBe(0);
    expect((await api(`/api/v1/workflow/status/${userId}`)).body.runs[0]?.phases[0]?.phase).toBe(1);
  }, 120_000);

  it('shows every phase of the sync live, without a reload', async () => {
    await page.getByRole('link', { name: 'Live workflow' }).click();
    await page.getByRole('heading', { level: 1, name: 'Live workflow' }).waitFor();
    await page.locator('.dot-open').waitFor();
    // The first sync runs to its end (completed, or a phase parked with its reason).
    const settled = async () => {
      const s = (await api(`/api/v1/workflow/status/${userId}`)).body;
      const phases = s.runs[0]?.phases ?? [];
      // Nothing pending or running: every phase completed, parked, or never reached after a parked one.
      return phases.length === 4 && phases[0].status === 'completed' && phases.every((p: any) => p.status === 'completed' || p.status === 'failed' || p.status === null);
    };
    await waitFor(settled, 'the first sync to settle', 120_000);
    const syncId = (await api(`/api/v1/workflow/status/${userId}`)).body.runs[0].sync_id as string;
    await page.getByTestId('sync-id').filter({ hasText: syncId }).waitFor();
    // A marker the page would lose on a reload, and a record of every change of a phase's status.
    // (The callback runs in the page; the server's types know no DOM, hence `any`.)
    await page.evaluate(() => {
      const w = globalThis as any;
      w.__noReload = true;
      const seen: string[] = (w.__transitions = []);
      new w.MutationObserver((records: any[]) => {
        for (const r of records) seen.push(`${r.target.dataset.phase}:${r.target.dataset.status}`);
      }).observe(w.document.querySelector('.timeline'), { attributes: true, subtree: true, attributeFilter: ['data-status'] });
    });

    // Detection runs again (the seed's sync/complete webhook) while the page is open: the
    // timeline must follow it over the WebSocket.
    const rerun = await t.request('/api/v1/workflow/sync/complete', { body: { user_id: userId, sync_id: syncId, rerun: 'browser' } });
    expect(rerun.status).toBe(202);
    await waitFor(async () => (await t.clario.engine.findEvent(rerun.body.event_id))?.status === 'completed', 'detection to run again', 60_000);
    await waitFor(settled, 'the sync to settle again', 120_000);

    // What the page shows is what the API says, phase by phase, and it got there live.
    const status = (await api(`/api/v1/workflow/status/${userId}`)).body.runs[0];
    expect(status.sync_id).toBe(syncId);
    for (const p of status.phases) {
      const row = page.locator(`.timeline [data-phase="${p.phase}"]`);
      await expect.poll(() => row.getAttribute('data-status'), { timeout: 30_000 }).toBe(p.status ?? 'waiting');
      if (p.status === 'failed') {
        expect(await page.getByTestId(`reason-${p.phase}`).textContent()).toContain(p.last_error.message);
      }
    }
    expect(status.phases[0].status).toBe('completed');
    expect(status.phases[1].status).toBe('completed');
    const transitions: string[] = await page.evaluate(() => (globalThis as any).__transitions);
    expect(transitions).toContain('2:running');
    expect(transitions.lastIndexOf('2:completed')).toBeGreaterThan(transitions.indexOf('2:running'));
    expect(await page.evaluate(() => (globalThis as any).__noReload)).toBe(true);
    expect(await page.getByTestId('sync-id').textContent()).toBe(syncId);
    await shot(page, 'live-workflow');

    await page.setViewportSize({ width: 360, height: 780 });
    await shot(page, 'live-workflow-360px');
    const overflow = await page.evaluate(() => { const d = (globalThis as any).document.documentElement; return d.scrollWidth - d.clientWidth; });
    expect(overflow).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 860 });
  }, 240_000);

  it('shows the money overview with its chart and deadlines', async () => {
    // This month's money is real: "Amazon" (the simulator) approves two of the cases Clario filed,
    // payout monitoring credits them, and phase 7 charges the fee through the Stripe simulator.
    const filings = await rows<{ case_id: string; claim_ids: string[] }>(
      t.clario.database.db,
      sql`SELECT case_id, claim_ids FROM filings WHERE user_id = ${userId} AND status = 'filed' ORDER BY id`,
    );
    const priced = await rows<{ id: string; amount_minor: string | null; currency: string | null }>(
      t.clario.database.db,
      sql`SELECT id, amount_minor, currency FROM claims WHERE user_id = ${userId}`,
    );
    const byId = new Map(priced.map((c) => [c.id, c]));
    // Cases whose claims all have a value, in one currency (a case is one claim type, one marketplace).
    const currencyOf = (f: { claim_ids: string[] }) => {
      const cs = new Set(f.claim_ids.map((id) => (byId.get(id)?.amount_minor === null ? null : byId.get(id)?.currency)));
      const [only] = [...cs];
      return cs.size === 1 && typeof only === 'string' ? only : null;
    };
    const totalOf = (f: { claim_ids: string[] }) => f.claim_ids.reduce((sum, id) => sum + Number(byId.get(id)?.amount_minor ?? 0), 0);
    // The two largest, so that fees above Stripe's minimum charge go through Stripe.
    const approvable = filings
      .filter((f) => currencyOf(f) !== null)
      .sort((a, b) => totalOf(b) - totalOf(a))
      .slice(0, 2);
    expect(approvable.length, `no case to approve among ${JSON.stringify(filings)}`).toBeGreaterThan(0);
    for (const f of approvable) {
      // Amazon pays each item what it asked (the case's items are in claim_ids order); an equal split
      // of the total would overpay some claims, which phase 7 rightly parks as payout_mismatch.
      const items = f.claim_ids.map((id) => ({ amount_minor: Number(byId.get(id)?.amount_minor ?? 0) }));
      const r = await fetch(`${t.clario.simulatorUrl}/cases/${f.case_id}/decision`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ approve: { items, currency: currencyOf(f) } }),
      });
      expect(r.status).toBe(200);
    }
    await t.clario.payouts!.runOnce();
    const paidClaims = approvable.reduce((n, f) => n + f.claim_ids.length, 0);
    await waitFor(async () => {
      // Charged, or owed when below Stripe's minimum charge (and collected once owed fees reach it).
      const [r] = await rows<{ n: number }>(t.clario.database.db, sql`SELECT count(*)::int AS n FROM fee_charges WHERE user_id = ${userId} AND status IN ('charged', 'deferred', 'collected')`);
      return (r?.n ?? 0) >= paidClaims;
    }, 'the fees of the approved cases settled', 60_000);
    // Two earlier months, as phase 7 records what it credited (fixtures: the demo has no history),
    // and one of Amazon's own reimbursements, which must not count.
    const month = (back: number) => {
      const d = new Date();
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - back, 10));
    };
    const db = t.clario.database.db;
    await db.insert(claims).values(
      ['browser-1', 'browser-2'].map((id) => ({ id, userId, type: 'lost_warehouse', status: 'paid' as const, amountMinor: 1, currency: 'USD', quantity: 1, caseId: `${id}-case` })),
    );
    await db.insert(feeCharges).values([
      { payoutId: 'browser-R1:a', userId, claimId: 'browser-1', caseId: 'browser-1-case', kind: 'charge', reimbursedMinor: 12_550, feeMinor: 2_510, currency: 'USD', rateBp: 2000, status: 'charged', createdAt: month(2) },
      { payoutId: 'browser-R2:a', userId, claimId: 'browser-2', caseId: 'browser-2-case', kind: 'charge', reimbursedMinor: 4_999, feeMinor: 1_000, currency: 'USD', rateBp: 2000, status: 'charged', createdAt: month(1) },
    ]);
    // Their fees, as Stripe collected them.
    for (const [payoutId, fee] of [['browser-R1:a', 2_510], ['browser-R2:a', 1_000]] as const) {
      for (const journal of [feeJournal, chargeJournal]) await postJournal(db, journal(payoutId, userId, money(fee, 'USD')), { userId, payoutId });
    }
    await db.insert(reimbursements).values([
      { userId, reimbursementId: 'browser-R4', lineKey: 'a', caseId: null, kind: 'reimbursement', amountMinor: 99_999, currency: 'USD', approvalDate: month(0), attributed: false },
    ]);
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('heading', { name: 'Recovered over time' }).waitFor();
    const o = (await api(`/api/v1/sellers/${userId}/overview`)).body;
    const usd = o.recovered.find((a: any) => a.currency === 'USD');
    const sumOf = async (query: ReturnType<typeof sql>) => Number((await rows<{ minor: string }>(t.clario.database.db, query))[0]?.minor ?? 0);
    // Recovered = the fixtures plus what phase 7 credited on Clario's cases; Amazon's own never counts.
    const realUsd = await sumOf(sql`SELECT coalesce(sum(reimbursed_minor), 0) AS minor FROM fee_charges WHERE user_id = ${userId} AND currency = 'USD' AND payout_id NOT LIKE 'browser-%'`);
    expect(usd.minor).toBe(12_550 + 4_999 + realUsd);
    // The fees the overview shows are the ones phase 7 charged through Stripe, in every currency.
    let chargedAny = 0;
    for (const cur of new Set(approvable.map((f) => currencyOf(f) ?? ''))) {
      const charged = await sumOf(sql`SELECT coalesce(sum(fee_minor), 0) AS minor FROM fee_charges WHERE user_id = ${userId} AND status IN ('charged', 'collected') AND currency = ${cur}`);
      chargedAny += charged;
      expect(o.fees_charged.find((a: any) => a.currency === cur)?.minor ?? 0).toBe(charged);
    }
    expect(chargedAny).toBeGreaterThan(0);
    expect(await page.getByTestId('stat-recovered').textContent()).toContain(
      new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(usd.minor / 100),
    );
    // One bar per month recovered, and the chart names its total for screen readers.
    const months = o.recovered_by_month.filter((m: any) => m.currency === 'USD').length;
    expect(await page.locator('.chart rect.bar').count()).toBe(months);
    expect(await page.locator('.chart svg').getAttribute('aria-label')).toContain(`${months} months`);
    expect(o.next_deadlines.length).toBeGreaterThan(0);
    const first = o.next_deadlines[0];
    await page.getByRole('region', { name: 'Next deadlines' }).getByRole('link', { name: new RegExp(first.type.replace(/_/g, ' '), 'i') }).first().waitFor();
    // Each deadline says who it waits for; none is a claim nobody can act on any more.
    expect(o.next_deadlines.every((d: any) => ['detected', 'prompted', 'held', 'ready'].includes(d.status) && d.why)).toBe(true);
    expect(await page.getByTestId('deadline-why').first().textContent()).toBe(first.why);
    // Months carry their year: "Dec 2026", never "Dec 26" (which reads as a day).
    const thisMonth = new Date().toLocaleDateString('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' });
    const ticks = await page.locator('.chart .ticks span').allTextContents();
    expect(ticks.length).toBeGreaterThan(0);
    for (const tick of ticks) expect(tick).toMatch(/^[A-Z][a-z]{2} \d{4}$/);
    expect(ticks.at(-1)).toBe(thisMonth);
    await shot(page, 'overview');
    await page.setViewportSize({ width: 360, height: 780 });
    await shot(page, 'overview-360px');
    expect(await page.evaluate(() => { const d = (globalThis as any).document.documentElement; return d.scrollWidth - d.clientWidth; })).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'overview-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('sorts and filters the claims table and opens a claim with its lineage', async () => {
    await page.getByRole('link', { name: 'Claims' }).click();
    const table = page.getByRole('table');
    await table.locator('tbody tr').first().waitFor();
    // The page opens on what the seller can act on, nearest deadline first, and expired claims last.
    expect(await page.getByLabel('Sort by').inputValue()).toBe('action:asc');
    const byAction = (await api(`/api/v1/claims?user_id=${userId}&sort=action&order=asc&limit=50`)).body.claims as any[];
    const hrefs = await table.locator('tbody tr td:first-child a').evaluateAll((as) => as.map((a: any) => decodeURIComponent(a.getAttribute('href').split('/').pop())));
    expect(hrefs).toEqual(byAction.map((c) => c.id));
    const today = new Date().toISOString().slice(0, 10);
    const live = (c: any) => ['detected', 'prompted', 'held', 'ready', 'filed'].includes(c.status) && (c.deadline === null || c.deadline >= today);
    const firstExpired = byAction.findIndex((c) => c.status === 'expired');
    if (firstExpired >= 0) expect(byAction.slice(firstExpired).some(live)).toBe(false);
    expect(['prompted', 'held']).toContain(byAction[0].status);
    const listed = (await api(`/api/v1/claims?user_id=${userId}&sort=value&order=desc&limit=50`)).body.claims;
    expect(listed.length).toBeGreaterThan(1);
    await page.getByRole('button', { name: /^Value/ }).click();
    await expect.poll(() => page.getByRole('columnheader', { name: /Value/ }).getAttribute('aria-sort')).toBe('descending');
    await expect.poll(() => table.locator('tbody tr').first().locator('td').nth(2).textContent()).toBe(
      new Intl.NumberFormat('en-US', { style: 'currency', currency: listed[0].amount.currency }).format(listed[0].amount.minor / 100),
    );
    // The same order is one choice away where the table's header is hidden (a phone's width).
    expect(await page.getByLabel('Sort by').inputValue()).toBe('value:desc');
    const type = listed[0].type as string;
    await page.getByLabel('Type').selectOption(type);
    await expect
      .poll(async () => (await table.locator('tbody tr td:first-child').allTextContents()).every((x) => x.toLowerCase() === type.replace(/_/g, ' ')))
      .toBe(true);
    await shot(page, 'claims');
    // At a phone's width the table becomes one card per claim, with nothing off-screen.
    await page.setViewportSize({ width: 360, height: 780 });
    await shot(page, 'claims-360px');
    expect(await page.evaluate(() => { const d = (globalThis as any).document.documentElement; return d.scrollWidth - d.clientWidth; })).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 860 });

    await table.locator('tbody tr').first().getByRole('link').click();
    await page.getByRole('heading', { name: 'Where it comes from' }).waitFor();
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    const detail = (await api(`/api/v1/claims/${id}`)).body;
    expect(detail.claim.id).toBe(id);
    const sources = detail.claim.details.sources as any[];
    expect(sources.length).toBeGreaterThan(0);
    const lineage = page.getByRole('region', { name: 'Where it comes from' }).locator('tbody tr');
    await expect.poll(() => lineage.count()).toBe(sources.length);
    expect(await lineage.first().textContent()).toContain(String(sources[0].document_id));
    await shot(page, 'claim');
  });

  it('answers a smart prompt in place', async (ctx) => {
    await page.getByRole('link', { name: 'Smart prompts' }).click();
    await page.getByRole('heading', { level: 1, name: 'Smart prompts' }).waitFor();
    if (await missing('/api/v1/prompts?status=open')) {
      // This build has no prompts API yet: the page says so rather than failing.
      await page.getByText('Smart prompts are not available yet in this build of Clario.').waitFor();
      await shot(page, 'prompts');
      ctx.skip('GET /api/v1/prompts is not in this build (issue: evidence and routing); the page shows "not available yet"');
    }
    let open = (await api(`/api/v1/prompts?status=open&user_id=${userId}`)).body.prompts as any[];
    if (open.length === 0) {
      // Routing opened none for this data: open one the way routing does (the shared contract).
      const [claim] = await rows<{ id: string; status: ClaimStatus }>(
        t.clario.database.db,
        sql`SELECT id, status FROM claims WHERE user_id = ${userId} AND status IN ('detected', 'held', 'ready') ORDER BY id LIMIT 1`,
      );
      expect(claim, 'an open claim to ask about').toBeDefined();
      await t.clario.database.db.transaction(async (tx) => {
        expect(await moveClaim(tx, claim!.id, claim!.status, 'prompted')).toBe(true);
        await openPrompt(tx, { userId, claimId: claim!.id, asks: [{ need: 'confirm', message: 'Confirm these units never came back to you.' }] });
      });
      open = (await api(`/api/v1/prompts?status=open&user_id=${userId}`)).body.prompts;
      await page.reload();
    }
    const prompt = open.find((p) => p.asks.some((a: any) => a.need === 'confirm')) ?? open[0];
    const card = page.locator(`[data-prompt="${prompt.id}"]`);
    // Ten at a time, nearest deadline first: show more until the card is there.
    await page.locator('[data-prompt]').first().waitFor();
    while (!(await card.isVisible())) await page.getByRole('button', { name: /^Show \d+ more$/ }).click();
    await shot(page, 'prompts');
    // Every card offers the upload its asks name, and "Confirm" only when it asks to confirm.
    for (const p of open) {
      const c = page.locator(`[data-prompt="${p.id}"]`);
      if (!(await c.isVisible())) continue;
      const needs = new Set(p.asks.map((a: any) => a.need));
      expect(await c.getByText('Upload an invoice', { exact: true }).count(), p.id).toBe(needs.has('upload_invoice') ? 1 : 0);
      expect(await c.getByText('Upload proof of delivery', { exact: true }).count(), p.id).toBe(needs.has('upload_proof_of_delivery') ? 1 : 0);
      expect(await c.getByRole('button', { name: 'Confirm' }).count(), p.id).toBe(needs.has('confirm') ? 1 : 0);
      if (p.claim?.quantity === 1) expect(await c.locator('h2').textContent()).toContain('· 1 unit ·');
    }
    await card.getByRole('button', { name: 'Confirm' }).click();
    await card.getByText(/answered/).waitFor();
    const [stored] = await rows<{ status: string }>(t.clario.database.db, sql`SELECT status FROM prompts WHERE id = ${prompt.id}`);
    expect(stored?.status).toBe('answered');
  });

  it("shows a rejected claim's reason and next step, and asks for the document on a card with its upload button", async () => {
    // Amazon rejects a case for want of an invoice, as phase 6 records it.
    const db = t.clario.database.db;
    let [filed] = await db.select().from(claims).where(sql`${claims.userId} = ${userId} AND ${claims.status} = 'filed' AND ${claims.caseId} IS NOT NULL`).limit(1);
    if (!filed) {
      const [open] = await db.select().from(claims).where(sql`${claims.userId} = ${userId} AND ${claims.status} IN ('detected', 'held', 'ready')`).limit(1);
      expect(open, 'a claim to file').toBeDefined();
      await moveClaim(db, open!.id, open!.status, 'filed', { caseId: 'browser-case-rejected' });
      [filed] = await db.select().from(claims).where(eq(claims.id, open!.id));
    }
    const claim = filed!;
    const amazonSays = 'To process the reimbursement, please provide a valid supplier invoice for the units in question.';
    await db.transaction(async (tx) => {
      expect(await moveClaim(tx, claim.id, 'filed', 'rejected')).toBe(true);
      await applyRejection(tx, { claim, caseId: claim.caseId!, reading: readRejection(amazonSays, claim.type), eventId: null });
    });
    await page.goto(`${t.url}/claims/${encodeURIComponent(claim.id)}`);
    const answer = page.getByRole('region', { name: "Amazon's answer" });
    await answer.waitFor();
    expect(await answer.textContent()).toContain('Amazon wants proof that you own the units');
    expect(await answer.textContent()).toContain(amazonSays);
    expect(await page.getByTestId('next-step').textContent()).toContain('Clario asks you for the supplier invoice');
    await shot(page, 'claim-rejected');

    // A paid claim gives no advice any more.
    const [paid] = await db.select().from(claims).where(sql`${claims.userId} = ${userId} AND ${claims.status} = 'paid'`).limit(1);
    if (paid) {
      await page.goto(`${t.url}/claims/${encodeURIComponent(paid.id)}`);
      await page.getByRole('heading', { name: 'Where it comes from' }).waitFor();
      expect(await page.getByText(/Would help/).count()).toBe(0);
    }

    // The re-prompt asks for the invoice only: its card offers that upload, and nothing to confirm.
    const prompt = ((await api(`/api/v1/prompts?status=open&user_id=${userId}`)).body.prompts as any[]).find((p) => p.claim_id === claim.id);
    expect(prompt.asks.map((a: any) => a.need)).toEqual(['upload_invoice']);
    await page.goto(`${t.url}/prompts`);
    const card = page.locator(`[data-prompt="${prompt.id}"]`);
    await page.getByRole('heading', { level: 1, name: 'Smart prompts' }).waitFor();
    await page.locator('[data-prompt]').first().waitFor();
    while (!(await card.isVisible())) await page.getByRole('button', { name: /^Show \d+ more$/ }).click();
    expect(await card.getByText('Upload an invoice', { exact: true }).count()).toBe(1);
    expect(await card.getByText('Upload proof of delivery', { exact: true }).count()).toBe(0);
    expect(await card.getByRole('button', { name: 'Confirm' }).count()).toBe(0);
  });

  it('downloads a proof packet', async (ctx) => {
    let [paid] = await rows<{ claim_id: string }>(t.clario.database.db, sql`SELECT claim_id FROM proof_packets WHERE user_id = ${userId} LIMIT 1`);
    if (!paid) {
      // No claim was paid in this run: store a packet for one claim, as settlement does.
      const [claim] = await rows<{ id: string }>(t.clario.database.db, sql`SELECT id FROM claims WHERE user_id = ${userId} ORDER BY id LIMIT 1`);
      const bytes = await tinyPdf(`Proof packet for ${claim!.id}`);
      const { createHash } = await import('node:crypto');
      await t.clario.database.db.insert(proofPackets).values({
        claimId: claim!.id, userId, payoutId: 'browser-payout-1', sha256: createHash('sha256').update(bytes).digest('hex'), bytes, sizeBytes: bytes.length,
      });
      paid = { claim_id: claim!.id };
    }
    await page.goto(`${t.url}/claims/${encodeURIComponent(paid.claim_id)}`);
    const button = page.getByRole('button', { name: 'Download the proof packet (PDF)' });
    await button.waitFor();
    if (await missing(`/api/v1/claims/${encodeURIComponent(paid.claim_id)}/proof.pdf`)) {
      await button.click();
      await page.getByText('Proof packets are not available yet in this build.').waitFor();
      ctx.skip('GET /api/v1/claims/:id/proof.pdf is not in this build (issue: settlement and proof packets); the page says "not available yet"');
    }
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    const path = join(webDir, 'proof.pdf');
    await download.saveAs(path);
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  });

  it('asks what arrived of a removal shipment, takes the receipts and manufacturing costs as CSV, and shows SKUs paid below cost', async () => {
    const db = t.clario.database.db;
    const file = 'GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA.tsv';
    const day = (ago: number) => new Date(Date.now() - ago * 86_400_000).toISOString().slice(0, 10);
    // Two parcels of a removal order, as the sync stores the report (the demo seller may have its own).
    const header = ['request-date', 'order-id', 'shipment-date', 'sku', 'fnsku', 'disposition', 'shipped-quantity', 'carrier', 'tracking-number', 'removal-order-type'].join('\t');
    await rows(db, sql`INSERT INTO sync_sources (sync_id, source, user_id, status, header, document_id, rows, new_rows, updated_at)
      VALUES ('browser-removals', ${file}, ${userId}, 'done', ${header}, 'browser-doc', 2, 2, now() + interval '1 minute')`);
    for (const [i, p] of [['RMV-B1', '1ZB001', 12], ['RMV-B2', '1ZB002', 3]].entries()) {
      const line = [day(45), p[0], `${day(40)}T10:00:00+00:00`, 'BROWSER-SKU', 'XBROWSER', 'Sellable', String(p[2]), 'UPS', p[1], 'Return'].join('\t');
      await storeLine(db, { userId, source: file, key: `browser-removal-${i}`, line, syncId: 'browser-removals', documentId: 'browser-doc', lineNo: i + 2 });
    }
    // The smart prompts page points to the removal questions, answered on their own page.
    await page.goto(`${t.url}/prompts`);
    const pointer = page.getByTestId('removal-questions');
    await pointer.waitFor();
    expect(await pointer.textContent()).toMatch(/removal shipments? Amazon sent back waits? for you/);
    await pointer.getByRole('link', { name: 'Answer on Costs & receipts' }).click();
    await page.getByRole('heading', { level: 1, name: 'Costs & receipts' }).waitFor();
    const question = page.locator('[data-removal]').filter({ hasText: 'RMV-B1' });
    await question.waitFor();
    expect(await question.locator('h3').textContent()).toContain('Did these 12 units of BROWSER-SKU arrive?');
    await shot(page, 'records');
    await question.getByLabel('Units that arrived').fill('4');
    await question.getByRole('button', { name: 'Some arrived' }).click();
    const known = page.getByTestId('removals-known');
    await known.getByRole('row').filter({ hasText: 'RMV-B1' }).getByText('Answered').waitFor();
    expect(await known.getByRole('row').filter({ hasText: 'RMV-B1' }).textContent()).toContain('124Answered');
    const shipments = (await api(`/api/v1/sellers/${userId}/removal-shipments`)).body.shipments as any[];
    expect(shipments.find((x) => x.order_id === 'RMV-B1')).toMatchObject({ state: 'answered', received_quantity: 4 });

    // The receipts file: its row answers the second parcel.
    await page.getByTestId('upload-receipts').locator('input[type=file]').setInputFiles({
      name: 'receipts.csv', mimeType: 'text/csv', buffer: Buffer.from(`order_id,sku,tracking_number,received_quantity,received_date\nRMV-B2,BROWSER-SKU,1ZB002,3,${day(30)}\n`),
    });
    await page.getByTestId('upload-receipts').getByText('1 line stored.').waitFor();
    await known.getByRole('row').filter({ hasText: 'RMV-B2' }).getByText('In your receipts file').waitFor();

    // Manufacturing costs, with a line refused and said why.
    await page.getByTestId('upload-costs').locator('input[type=file]').setInputFiles({
      name: 'costs.csv', mimeType: 'text/csv', buffer: Buffer.from('sku,manufacturing_cost,currency\nBROWSER-SKU,6.00,USD\nOTHER,six,USD\n'),
    });
    await page.getByTestId('upload-costs').getByText('1 line stored, 1 line refused.').waitFor();
    expect(await page.getByTestId('upload-costs').textContent()).toContain('Line 3: manufacturing cost "six" is not a decimal amount');

    // A reimbursement paid below that cost shows on the overview with what setting it would have been worth.
    await db.insert(claims).values({
      id: 'browser-underpaid', userId, type: 'underpaid_reimbursement', status: 'expired', amountMinor: 1240, currency: 'USD', quantity: 4, deadline: day(10), details: { sku: 'BROWSER-SKU' },
    });
    await page.goto(`${t.url}/overview`);
    const below = page.getByTestId('below-cost');
    await below.waitFor();
    expect(await below.getByRole('row').filter({ hasText: 'BROWSER-SKU' }).textContent()).toContain('$12.40');
  });

  it('gives an operator the queue, clients, failed phases with replay, and the audit log', async () => {
    // Event delivery in trouble: a webhook subscription whose endpoint answers 5xx, and an
    // EventBridge sink trailing the outbox after a rejected entry (written as the loops write them).
    const created = await t.request('/api/v1/subscriptions', { body: { url: 'https://hooks.example.com/clario' } });
    expect(created.status).toBe(201);
    const sub = created.body;
    const database = t.clario.database;
    // Not due for a day, so this instance's delivery loop leaves the recorded failure as it is.
    await rows(database.db, sql`UPDATE subscription_cursors SET attempts = 3, first_failed_at = now(), next_attempt_at = now() + interval '1 day',
      last_error = ${JSON.stringify({ code: 'http_5xx', message: 'the endpoint answered 503' })}::jsonb WHERE subscription_id = ${sub.id}`);
    const head = (await api('/api/v1/ops/event-sinks')).body.outbox_head as number;
    expect(head).toBeGreaterThan(7);
    await rows(database.db, sql`INSERT INTO subscription_cursors (subscription_id, last_seq, attempts, first_failed_at, last_error)
      VALUES ('eventbridge:ops-bus', ${head - 7}, 2, now(), ${JSON.stringify({ code: 'InternalFailure', message: 'try again' })}::jsonb)`);
    const lag = 7;
    const before: any = await page.evaluate(async () => (await fetch('/api/v1/session')).json());
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in with Amazon' }).waitFor();
    // Signed out for real: the cookie is gone, and the session's tokens are refused server-side.
    expect((await page.evaluate(async () => (await fetch('/api/v1/session')).status))).toBe(401);
    expect((await t.request('/api/v1/session', { token: before.token })).status).toBe(401);
    await page.getByLabel('Token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not valid' }).waitFor();
    await page.getByLabel('Token').fill(t.serviceToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Operator view' }).waitFor();
    // Kept for this tab only, never in localStorage or a cookie.
    expect(await page.evaluate(() => { const w = globalThis as any; return [w.sessionStorage.getItem('clario.token') !== null, w.localStorage.length, w.document.cookie]; })).toEqual([true, 0, '']);
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    await page.getByRole('heading', { name: 'Refused connections' }).waitFor();
    await page.getByText(/driver/i).first().waitFor();

    const webhooks = page.getByRole('table', { name: 'Webhook subscriptions' });
    const subRow = webhooks.locator('tbody tr').filter({ hasText: 'https://hooks.example.com/clario' });
    await subRow.filter({ hasText: 'http_5xx: the endpoint answered 503 after 3 attempts' }).waitFor();
    const bus = page.getByRole('table', { name: 'EventBridge' }).locator('tbody tr').filter({ hasText: 'ops-bus' });
    await bus.filter({ hasText: 'InternalFailure: try again after 2 attempts' }).waitFor();
    expect(await bus.locator('td').nth(2).textContent()).toBe(String(lag));
    // The subscription's signing secret was shown once, to its creator, and never on this page.
    expect(sub.secret).toMatch(/^whsec_/);
    expect(await page.content()).not.toContain(sub.secret);

    await page.getByLabel('Seller').fill(userId);
    await page.getByRole('button', { name: 'Search' }).click();
    const audit = page.getByRole('region', { name: 'Audit log' }).locator('tbody tr');
    await audit.first().waitFor();
    expect(await audit.count()).toBeGreaterThan(3);

    const failed = (await api('/api/v1/ops/failed')).body.events as any[];
    if (failed.length > 0) {
      const target = failed[0];
      await page.getByRole('button', { name: `Replay phase ${target.phase} of ${target.user_id}` }).first().click();
      await page.getByText(new RegExp(`Phase ${target.phase} of ${target.user_id} replayed`)).first().waitFor();
      // The audit shows the replay: the parked event went back to pending.
      const entries = (await api(`/api/v1/workflow/audit?event_id=${target.event_id}`)).body.entries as any[];
      expect(entries.some((e) => e.from === 'failed' && e.to === 'pending')).toBe(true);
    } else {
      await page.getByText('Nothing is parked.').waitFor();
    }
    await shot(page, 'operator');
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
