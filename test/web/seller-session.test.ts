// A seller's dashboard in a real browser (Debian's Chromium through playwright-core) against a
// real Clario: the session ending under the page (a revoked session's socket closed 1008, an API
// call answered 401) brings the sign-in view back, with no reconnecting, and signing in again
// lands on the page the seller was on; a mistyped address shows "page not found"; the claims
// table's filters survive the back button; a 1-unit removal question reads right; the measure
// form fits a phone; dismissing a prompt takes a confirmation; a refused case id says why.
import { rmSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { Page, WebSocket as PwSocket } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/store/db.js';
import { openPrompt } from '../../src/store/prompt-rows.js';
import { claims } from '../../src/store/schema/claims-tables.js';
import { filings } from '../../src/store/schema/filing-tables.js';
import { buildWeb, chromiumFound, launchBrowser, overflow, shot, type Browser } from '../support/browser.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { storeLine } from '../support/report-lines.js';

const describeBrowser = chromiumFound() ? describe : describe.skip;

describeBrowser("a seller's dashboard: sessions, addresses and forms", () => {
  let t: TestClario;
  let webDir: string;
  let browser: Browser;
  let page: Page;
  let userId = '';
  const sockets: PwSocket[] = [];
  const sessionAsks: string[] = [];
  const MINUTE = 60_000;
  /**
   * Runs every page timer due within `ms` (past the live feed's longest reconnect backoff), then a
   * round trip to the page, so a socket or request those timers opened has been reported by then.
   */
  const quietFor = async (ms: number) => {
    await page.clock.runFor(ms);
    await page.evaluate(() => 0);
  };
  const day = (ahead: number) => new Date(Date.now() + ahead * 86_400_000).toISOString().slice(0, 10);

  const signInWithAmazon = async () => {
    await page.getByRole('link', { name: 'Sign in with Amazon' }).click();
    await page.getByRole('button', { name: 'Sign in' }).click();
  };
  /** Ends the page's session from outside it, as signing out in another tab does. */
  const endSession = async () => {
    const s: any = await page.evaluate(async () => (await fetch('/api/v1/session')).json());
    expect((await t.request('/api/v1/session', { method: 'DELETE', token: s.token })).status).toBeLessThan(300);
  };

  beforeAll(async () => {
    webDir = await buildWeb();
    t = await startTestClario({ webDir });
    browser = await launchBrowser();
    page = browser.page;
    page.on('websocket', (ws) => sockets.push(ws));
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/v1/session') sessionAsks.push(r.method());
    });
    await page.goto(`${t.url}/`);
    await signInWithAmazon();
    await page.waitForURL(`${t.url}/overview`);
    userId = ((await page.evaluate(async () => (await fetch('/api/v1/session')).json())) as { user_id: string }).user_id;

    // What this seller has to see (as detection, routing and the sync store it).
    const db = t.clario.database.db;
    await db.insert(claims).values([
      { id: 'sess-lost-1', userId, type: 'lost_warehouse', status: 'prompted', amountMinor: 4_200, currency: 'USD', quantity: 2, deadline: day(20), details: { sku: 'SKU-A' } },
      { id: 'sess-fee-1', userId, type: 'fee_overcharge', status: 'prompted', amountMinor: 1_350, currency: 'USD', quantity: 30, deadline: day(10), details: { sku: 'SKU-B' } },
      { id: 'sess-held-1', userId, type: 'damaged_warehouse', status: 'held', amountMinor: 990, currency: 'USD', quantity: 1, deadline: day(40), details: { sku: 'SKU-C' } },
      { id: 'sess-ready-1', userId, type: 'lost_warehouse', status: 'ready', amountMinor: 2_500, currency: 'USD', quantity: 1, deadline: day(30), details: { sku: 'SKU-D' } },
    ]);
    await openPrompt(db, { userId, claimId: 'sess-lost-1', asks: [{ need: 'confirm', message: 'Confirm these units never came back to you.' }, { need: 'dismiss', message: 'Or dismiss it.' }] });
    await openPrompt(db, { userId, claimId: 'sess-fee-1', asks: [{ need: 'measure', message: 'Measure one unit as packed.' }, { need: 'dismiss', message: 'Or dismiss it.' }] });
    // A removal shipment of one unit, as the sync stores the report.
    const file = 'GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA.tsv';
    const header = ['request-date', 'order-id', 'shipment-date', 'sku', 'fnsku', 'disposition', 'shipped-quantity', 'carrier', 'tracking-number', 'removal-order-type'].join('\t');
    await rows(db, sql`INSERT INTO sync_sources (sync_id, source, user_id, status, header, document_id, rows, new_rows, updated_at)
      VALUES ('sess-removals', ${file}, ${userId}, 'done', ${header}, 'sess-doc', 1, 1, now() + interval '1 minute')`);
    const line = [day(-45), 'RMV-ONE', `${day(-40)}T10:00:00+00:00`, 'ONE-SKU', 'XONE', 'Sellable', '1', 'UPS', '1ZONE', 'Return'].join('\t');
    await storeLine(db, { userId, source: file, key: 'sess-removal-1', line, syncId: 'sess-removals', documentId: 'sess-doc', lineNo: 2 });
    // A case to file by hand, its claim ready on it.
    await db.insert(filings).values({ id: 'sess-filing-1', userId, channel: 'manual', status: 'prepared', claimIds: ['sess-ready-1'], subject: 'Lost units', body: 'Please reimburse.', attachments: [], filedOn: day(0) });
    await rows(db, sql`UPDATE claims SET filing_id = 'sess-filing-1' WHERE id = 'sess-ready-1'`);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    if (webDir) rmSync(webDir, { recursive: true, force: true });
  });

  it('shows "page not found" with a way home for a mistyped address, and keeps the JSON 404 for API callers', async () => {
    const res = await page.goto(`${t.url}/nonsense-page`);
    expect(res?.status()).toBe(404);
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    expect(await page.content()).not.toContain('"error"');
    await shot(page, 'not-found');
    await page.getByRole('link', { name: 'Go to the overview' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    // An API caller still gets JSON: 404 with a token, 401 without (as before).
    const json = await t.request('/nonsense-page', { headers: { accept: 'application/json' } });
    expect([json.status, json.body.error.code]).toEqual([404, 'not_found']);
    expect((await t.request('/nonsense-page', { token: null, headers: { accept: 'application/json' } })).status).toBe(401);
    expect((await t.request('/api/v1/nonsense', { headers: { accept: 'text/html' } })).status).toBe(404);
    expect((await t.request('/api/v1/nonsense', { headers: { accept: 'text/html' } })).body.error.code).toBe('not_found');
    // A browser without a session gets the page too, not a 401 in JSON.
    const anonymous = await t.request('/nonsense-page', { token: null, headers: { accept: 'text/html' } });
    expect(anonymous.status).toBe(404);
    expect(String(anonymous.body)).toContain('<div id="root">');
  });

  it('keeps the claims filters in the address, so Back from a claim shows the same table', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Claims' }).click();
    const table = page.getByRole('table');
    await table.locator('tbody tr').first().waitFor();
    await page.getByLabel('Status').selectOption('prompted');
    await page.getByLabel('Sort by').selectOption('value:desc');
    await expect.poll(() => new URL(page.url()).search).toBe('?status=prompted&sort=value&order=desc');
    await expect.poll(async () => (await table.locator('tbody tr').count())).toBe(2);
    await table.locator('tbody tr').first().getByRole('link').click();
    await page.getByRole('heading', { name: 'Where it comes from' }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Claims' }).waitFor();
    expect(await page.getByLabel('Status').inputValue()).toBe('prompted');
    expect(await page.getByLabel('Sort by').inputValue()).toBe('value:desc');
    await expect.poll(async () => (await table.locator('tbody tr').allTextContents()).map((x) => /Prompted/.test(x))).toEqual([true, true]);
    // A reload keeps them too.
    await page.reload();
    await table.locator('tbody tr').first().waitFor();
    expect(await page.getByLabel('Status').inputValue()).toBe('prompted');
  });

  it('asks about a 1-unit removal shipment in the singular, with no "some arrived"', async () => {
    await page.goto(`${t.url}/records`);
    const question = page.locator('[data-removal]').filter({ hasText: 'RMV-ONE' });
    await question.waitFor();
    expect(await question.locator('h3').textContent()).toContain('Did this 1 unit of ONE-SKU arrive?');
    expect(await question.getByLabel('Units that arrived').count()).toBe(0);
    expect(await question.getByRole('button', { name: 'Some arrived' }).count()).toBe(0);
    await question.getByRole('button', { name: 'It arrived' }).waitFor();
    await question.getByRole('button', { name: 'It did not arrive' }).waitFor();
  });

  it('fits the measurement form in its card at 375 px, with distinct unit labels', async () => {
    await page.goto(`${t.url}/prompts`);
    const form = page.getByTestId('measure-form');
    await form.waitFor();
    await form.getByLabel('Length unit').waitFor();
    await form.getByLabel('Weight unit').waitFor();
    expect(await form.getByLabel('Unit', { exact: true }).count()).toBe(0);
    await page.setViewportSize({ width: 375, height: 800 });
    await shot(page, 'prompts-measure-375px');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    const card = page.locator('[data-prompt]').filter({ has: form });
    // Nothing inside the card reaches past its right edge.
    const past = await card.evaluate((c: any) => {
      const edge = c.getBoundingClientRect().right;
      return [...c.querySelectorAll('input, select, button, label')].filter((el: any) => el.getBoundingClientRect().right > edge + 0.5).map((el: any) => el.outerHTML.slice(0, 60));
    });
    expect(past).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('asks for a confirmation before dismissing a prompt', async () => {
    const prompt = ((await t.request(`/api/v1/prompts?status=open&user_id=${userId}`)).body.prompts as any[]).find((p) => p.claim_id === 'sess-lost-1');
    const card = page.locator(`[data-prompt="${prompt.id}"]`);
    await card.getByRole('button', { name: 'Dismiss' }).click();
    const confirm = card.getByTestId('confirm-dismiss');
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('Dismiss this claim?');
    // Focus is on the safe choice; keeping it changes nothing.
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.textContent)).toBe('Keep it');
    await confirm.getByRole('button', { name: 'Keep it' }).click();
    await confirm.waitFor({ state: 'detached' });
    const [kept] = await rows<{ status: string }>(t.clario.database.db, sql`SELECT status FROM prompts WHERE id = ${prompt.id}`);
    expect(kept?.status).toBe('open');
    await card.getByRole('button', { name: 'Dismiss' }).click();
    await card.getByRole('button', { name: 'Yes, dismiss' }).click();
    await card.getByText(/dismissed/).waitFor();
    const [gone] = await rows<{ status: string }>(t.clario.database.db, sql`SELECT status FROM prompts WHERE id = ${prompt.id}`);
    expect(gone?.status).not.toBe('open');
  });

  it("says what is wrong with a refused case id, in the server's words", async () => {
    await page.goto(`${t.url}/file-today/sess-filing-1`);
    await page.getByLabel("Amazon's case id").fill('not a case id!');
    await page.getByRole('button', { name: 'Record' }).click();
    const error = page.getByRole('alert').filter({ hasText: 'That does not look like a case id' });
    await error.waitFor();
    expect(await error.textContent()).toContain('letters, digits');
    expect(await error.textContent()).not.toContain('the request is not valid');
  });

  it('ends the signed-in state when the server closes the socket (4401), stops reconnecting, and brings the seller back after signing in', async () => {
    await page.goto(`${t.url}/prompts`);
    await page.getByRole('heading', { level: 1, name: 'Smart prompts' }).waitFor();
    // The prompts page listens on the live socket.
    await expect.poll(() => sockets.filter((s) => !s.isClosed()).length).toBeGreaterThan(0);
    // The page's timers from here on are driven by the test: a reconnect or a renewal, had one been
    // scheduled, runs when the clock is moved below, whatever the machine's speed.
    await page.clock.install();
    await endSession();
    await page.getByTestId('session-ended').filter({ hasText: 'Your session ended; sign in again' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    expect(await page.getByText(/Could not load/).count()).toBe(0);
    await shot(page, 'session-ended');
    // Nothing keeps knocking: no new socket, no more session asks.
    const opened = sockets.length;
    const asked = sessionAsks.length;
    await quietFor(MINUTE);
    expect(sockets.length).toBe(opened);
    expect(sessionAsks.length).toBe(asked);
    await page.clock.resume();
    await signInWithAmazon();
    await page.waitForURL(`${t.url}/prompts`);
    await page.getByRole('heading', { level: 1, name: 'Smart prompts' }).waitFor();
    expect(await page.getByTestId('session-ended').count()).toBe(0);
  });

  it('ends the signed-in state on a 401 from an API call, and signing in again lands on the same filtered page', async () => {
    await page.goto(`${t.url}/claims?status=held`);
    await page.getByRole('table').locator('tbody tr').first().waitFor();
    await page.clock.install();
    await endSession();
    // The next call (a change of filter) is refused, and so is renewing the token.
    await page.getByLabel('Status').selectOption('prompted');
    await page.getByTestId('session-ended').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    const asked = sessionAsks.length;
    await quietFor(MINUTE);
    expect(sessionAsks.length).toBe(asked);
    await page.clock.resume();
    await signInWithAmazon();
    await page.waitForURL(`${t.url}/claims?status=prompted`);
    await page.getByRole('heading', { level: 1, name: 'Claims' }).waitFor();
    expect(await page.getByLabel('Status').inputValue()).toBe('prompted');
    expect(browser.pageErrors).toEqual([]);
  });
});
