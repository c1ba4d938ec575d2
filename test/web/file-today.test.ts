// The manual channel end to end in a real browser (Debian's Chromium through playwright-core),
// against a real Clario whose claims go to a person, not to a case API (CLAIMS_CHANNEL=manual),
// with the bundled Amazon simulator's demo seller: File today → a case → copy its fields →
// download the evidence bundle (a real zip, its files checked) → record the case id → paste
// Amazon's rejection asking for an invoice → the smart prompt → answer it with an invoice → the
// case comes back to reopen → record it → paste Amazon's approval → the payout and the fee.
// Screenshots of each page go to test-artifacts/screenshots/.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/store/db.js';
import { invoicePdf } from '../evidence/support/documents.js';
import { buildWeb, chromiumFound, launchBrowser, overflow, shot, type Browser } from '../support/browser.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { waitFor } from '../support/wait.js';
import { unzip } from '../support/unzip.js';

const describeBrowser = chromiumFound() ? describe : describe.skip;

// Claim types a supplier invoice answers (proof of ownership): the rejection this test pastes fits them.
const INVOICE_TYPES = ['lost_warehouse', 'damaged_warehouse', 'lost_inbound', 'inbound_shortage'];

describeBrowser('filing by hand in Seller Central, in a browser', () => {
  let t: TestClario;
  let webDir: string;
  let browser: Browser;
  let page: Page;
  let userId = '';
  /** The case this test files, and what Amazon and the seller did with it. */
  let filingId = '';
  let claimId = '';
  let caseText = '';
  const caseId = '17412345678';
  const api = (path: string) => t.request(path);
  const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });
  const clipboard = () => page.evaluate(() => (globalThis as any).navigator.clipboard.readText() as Promise<string>);

  beforeAll(async () => {
    webDir = await buildWeb();
    t = await startTestClario({
      webDir,
      // One claim per case: Amazon's approval names one reimbursement, credited to the one claim.
      // No daily cap in reach: the reopening is prepared the day its answer comes. A case Amazon
      // has not answered is followed up at once, so the reminder shows without moving the clock.
      env: { CLAIMS_CHANNEL: 'manual', FILING_MAX_ITEMS_PER_CASE: '1', FILING_MAX_CASES_PER_DAY: '50', FILING_FOLLOW_UP_DAYS: '0', WORKFLOW_MAX_ATTEMPTS: '2', WORKFLOW_LEASE_MS: '30000' },
    });
    browser = await launchBrowser();
    page = browser.page;
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.url });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    if (webDir) rmSync(webDir, { recursive: true, force: true });
  });

  it('lists the demo seller’s cases to file, nearest deadline first, with the held claims and reminders', async () => {
    await page.goto(`${t.url}/`);
    await page.getByRole('link', { name: 'Sign in with Amazon' }).click();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${t.url}/overview`);
    await page.getByRole('link', { name: 'Connect your Amazon seller account' }).click();
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL(`${t.url}/overview`);
    userId = ((await page.evaluate(async () => (await fetch('/api/v1/session')).json())) as { user_id: string }).user_id;

    // The sync, detection, evidence and routing run; the filer prepares the ready claims as cases
    // for a person to file (nothing goes to the simulator's case API on this channel).
    await waitFor(async () => ((await api(`/api/v1/filings/today?user_id=${userId}`)).body.cases ?? []).length > 0, 'cases to file', 180_000);
    // The first sync runs to its end (each phase completed, parked, or never reached after a
    // parked one) before the test plays Amazon: a phase 4 still to come would route the claims again.
    const settled = async () => {
      const phases = ((await api(`/api/v1/workflow/status/${userId}`)).body.runs[0]?.phases ?? []) as Array<{ phase: number; status: string | null }>;
      return phases.length === 4 && phases[0]?.status === 'completed' && phases.every((p) => p.status === 'completed' || p.status === 'failed' || p.status === null);
    };
    await waitFor(settled, 'the first sync to settle', 180_000);
    // The filer's own round may still be preparing cases one by one: a round of our own prepares
    // whatever is left (a claim another round holds is waited for, then skipped), so the list
    // read next is the whole of it.
    await t.clario.filer?.runOnce();
    const today = (await api(`/api/v1/filings/today?user_id=${userId}`)).body;
    expect((await api(`/api/v1/filings?user_id=${userId}&status=filed`)).body.filings).toEqual([]);

    await nav('File today').click();
    await page.getByRole('heading', { level: 1, name: 'File today' }).waitFor();
    const table = page.getByTestId('cases-to-file');
    await table.locator('tbody tr').first().waitFor();
    // The page shows the server's order: nearest deadline first (none last).
    expect(await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr: any) => tr.dataset.case))).toEqual(today.cases.map((c: any) => c.id));
    const deadlines = today.cases.map((c: any) => c.deadline ?? '9999-12-31');
    expect(deadlines).toEqual([...deadlines].sort());
    const first = today.cases[0];
    const row = table.locator(`tr[data-case="${first.id}"]`);
    expect(await row.textContent()).toContain(first.where);
    if (first.days_left !== null) expect(await row.textContent()).toMatch(first.days_left === 0 ? /Due today/ : new RegExp(`${Math.abs(first.days_left)} days? (left|late)`));
    // Held claims say why; reminders are listed (or the panel says there are none).
    const held = page.getByRole('region', { name: 'Held back' });
    if (today.held.length > 0) expect(await held.getByTestId('held').textContent()).toContain(today.held[0].reason);
    else await held.getByText('Clario holds nothing back.').waitFor();
    await expect.poll(() => page.getByRole('region', { name: 'Reminders' }).locator('[aria-busy="true"]').count()).toBe(0);
    await shot(page, 'file-today');
    await page.setViewportSize({ width: 360, height: 780 });
    await shot(page, 'file-today-360px');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 860 });

    // The case this test walks: one a supplier invoice can answer, the most pressing such.
    const open = (today.cases as any[]).filter((c) => c.days_left === null || c.days_left >= 0);
    const chosen = open.find((c) => INVOICE_TYPES.includes(c.claim_type)) ?? open[0] ?? first;
    filingId = chosen.id;
  }, 300_000);

  it('opens a case: where to file, the fields to copy, the case text', async () => {
    await page.getByTestId('cases-to-file').locator(`tr[data-case="${filingId}"]`).getByRole('link').click();
    await page.getByRole('heading', { name: 'Where to file' }).waitFor();
    const filing = (await api(`/api/v1/filings/${filingId}`)).body;
    claimId = filing.claim_ids[0];
    const kit = filing.kit;
    expect(await page.getByTestId('place').textContent()).toBe(kit.where.place);
    expect(await page.locator('.kit-steps li').allTextContents()).toEqual(kit.where.steps);
    const open = page.getByRole('link', { name: /Open Seller Central/ });
    expect(await open.getAttribute('href')).toBe(kit.where.url);
    expect(await open.getAttribute('target')).toBe('_blank');
    expect(await open.getAttribute('rel')).toContain('noopener');

    // Every field the form asks for, each with its Copy button; the clipboard holds what was copied.
    const fields = page.getByRole('region', { name: 'What the form asks for' });
    expect(await fields.locator('tr[data-field]').count()).toBe(kit.fields.length);
    expect(kit.fields.length).toBeGreaterThan(0);
    for (const f of kit.fields.slice(0, 3)) {
      const fieldRow = fields.locator(`tr[data-field="${f.label}"]`).first();
      await fieldRow.getByRole('button', { name: new RegExp(`^Copy ${f.label}`) }).click();
      // The clipboard, not the button's "Copied" label: that label lasts 2.5 s, which a loaded
      // machine can miss between two looks.
      await expect.poll(clipboard).toBe(f.value);
    }
    // Amazon's own terms in the text, never Clario's file names.
    caseText = (await page.getByTestId('case-text').textContent()) ?? '';
    expect(caseText).toBe(kit.text);
    expect(caseText).not.toMatch(/\.tsv|line \d+|clario/i);
    await page.getByRole('region', { name: 'Case text' }).getByRole('button', { name: /^Copy the case text/ }).click();
    await expect.poll(clipboard).toBe(kit.text);

    await shot(page, 'case');
    await page.setViewportSize({ width: 360, height: 780 });
    await shot(page, 'case-360px');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 860 });

    // Where the clipboard is refused, the value is selected for Ctrl+C instead, and the page says so.
    await page.evaluate(() => {
      const g = globalThis as any;
      const clip = g.navigator.clipboard;
      clip.realWriteText = clip.writeText;
      clip.writeText = () => Promise.reject(new Error('NotAllowedError'));
      // Every text the page selects, kept: what is checked is that the value was selected, not
      // that nothing on a loaded machine has moved the selection since.
      g.selected = [];
      g.document.addEventListener('selectionchange', () => g.selected.push(String(g.getSelection())));
    });
    try {
      const firstField = fields.locator('tr[data-field]').first();
      await firstField.getByRole('button', { name: /^Copy / }).click();
      await expect.poll(() => page.evaluate(() => (globalThis as any).selected as string[])).toContain(kit.fields[0].value);
    } finally {
      await page.evaluate(() => {
        const clip = (globalThis as any).navigator.clipboard;
        clip.writeText = clip.realWriteText;
      });
    }
  });

  it('downloads the evidence as one zip: the summary PDF, the report lines, the case text', async () => {
    const button = page.getByRole('button', { name: 'Download the evidence (ZIP)' });
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toBe(`case-${filingId}.zip`);
    const path = join(webDir, 'evidence.zip');
    await download.saveAs(path);
    const files = await unzip(readFileSync(path));
    expect([...files.keys()]).toEqual(expect.arrayContaining(['summary.pdf', 'report-lines.csv', 'case-text.txt']));
    expect(files.get('summary.pdf')!.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const csv = files.get('report-lines.csv')!.toString('utf8').trim().split(/\r?\n/);
    expect(csv.length).toBeGreaterThan(1);
    expect(csv[0]).toMatch(/[a-z]/i);
    expect(files.get('case-text.txt')!.toString('utf8')).toBe(caseText);
    for (const name of files.keys()) expect(name).not.toMatch(/^\/|\.\.|\\/);
  });

  it('records the case id Amazon gave, saying clearly what is wrong with a bad one', async () => {
    const record = page.getByRole('region', { name: 'Record the case id' });
    await record.getByLabel("Amazon's case id").fill('not a case id!');
    await record.getByRole('button', { name: 'Record' }).click();
    await record.getByRole('alert').filter({ hasText: 'does not look like a case id' }).waitFor();
    expect(await record.getByLabel("Amazon's case id").getAttribute('aria-invalid')).toBe('true');
    await record.getByLabel("Amazon's case id").fill(caseId);
    await record.getByRole('button', { name: 'Record' }).click();
    await record.getByTestId('recorded').filter({ hasText: caseId }).waitFor();
    // The form is gone with the button that had focus: focus is on what was recorded.
    await expect.poll(() => page.evaluate(() => (globalThis as any).document.activeElement?.dataset?.testid)).toBe('recorded');
    await waitFor(async () => (await api(`/api/v1/claims/${claimId}`)).body.claim.status === 'filed', 'the claim filed (phase 5)', 60_000);
    // Filed: it is no longer on File today.
    expect(((await api(`/api/v1/filings/today?user_id=${userId}`)).body.cases as any[]).map((c) => c.id)).not.toContain(filingId);
  });

  it('reminds to follow up a case Amazon has not answered, with the text to paste on it', async () => {
    await t.clario.reminders!.runOnce();
    const reminder = ((await api(`/api/v1/reminders?open=true&user_id=${userId}`)).body.reminders as any[]).find((r) => r.kind === 'follow_up' && r.filing_id === filingId);
    expect(reminder?.text).toContain(caseId);
    await nav('File today').click();
    const item = page.locator(`[data-reminder="${reminder.id}"]`);
    await item.waitFor();
    expect(await item.textContent()).toContain('No answer from Amazon');
    await item.getByRole('button', { name: /^Copy the follow-up text/ }).click();
    await expect.poll(clipboard).toBe(reminder.text);
    await shot(page, 'file-today-reminders');
    // Used: dismissed, it leaves the list (and the open reminders).
    await item.getByRole('button', { name: /^Dismiss/ }).click();
    await item.waitFor({ state: 'detached' });
    expect(((await api(`/api/v1/reminders?open=true&user_id=${userId}`)).body.reminders as any[]).map((r) => r.id)).not.toContain(reminder.id);
    // The link an e-mailed reminder carries opens the case page itself.
    await page.goto(`${t.url}/file-today/${encodeURIComponent(filingId)}`);
    await page.getByRole('heading', { name: "Paste Amazon's reply" }).waitFor();
  });

  it("reads Amazon's rejection asking for an invoice, and the seller is asked for it", async () => {
    const reply = page.getByRole('region', { name: "Paste Amazon's reply" });
    await reply
      .getByLabel(/Amazon's reply/)
      .fill(
        `Hello,\n\nThank you for contacting Amazon Seller Support about case ${caseId}. We have reviewed the units in question. ` +
          'To process the reimbursement, please provide a valid supplier invoice for the units in question showing the quantity purchased.\n\nRegards,\nAmazon Seller Support',
      );
    await reply.getByRole('button', { name: 'Read the reply' }).click();
    const reading = reply.getByTestId('reading');
    await reading.waitFor();
    expect(['rejected', 'more_information']).toContain(await reading.getAttribute('data-outcome'));
    expect(await reading.textContent()).toContain('a supplier invoice');
    await page.getByRole('region', { name: "Amazon's replies so far" }).locator('[data-reply]').first().waitFor();
    await shot(page, 'case-replied');

    // The smart prompt asks exactly for the invoice.
    await waitFor(async () => ((await api(`/api/v1/prompts?status=open&user_id=${userId}`)).body.prompts as any[]).some((p) => p.claim_id === claimId), 'the prompt for the invoice', 60_000);
    await reading.getByRole('link', { name: 'Go to Smart prompts' }).click();
    await page.getByRole('heading', { level: 1, name: 'Smart prompts' }).waitFor();
    const prompt = ((await api(`/api/v1/prompts?status=open&user_id=${userId}`)).body.prompts as any[]).find((p) => p.claim_id === claimId);
    expect(prompt.asks.map((a: any) => a.need)).toContain('upload_invoice');
    const card = page.locator(`[data-prompt="${prompt.id}"]`);
    await page.locator('[data-prompt]').first().waitFor();
    while (!(await card.isVisible())) await page.getByRole('button', { name: /^Show \d+ more$/ }).click();

    // The seller answers with the supplier invoice for the claim's SKU.
    const claim = (await api(`/api/v1/claims/${claimId}`)).body.claim;
    const sku = String(claim.details?.sku ?? 'SKU');
    const units = String(claim.quantity ?? 1);
    const pdf = await invoicePdf({ number: 'INV-2026-118', date: '2026-01-05', supplier: 'Acme Supply Co', lines: [{ sku, description: 'Item', qty: units, price: '9.50' }] });
    await card.locator('input[type=file]').first().setInputFiles({ name: 'invoice-INV-2026-118.pdf', mimeType: 'application/pdf', buffer: pdf });
    // Answered, or an error said on the card (which fails the test with its words).
    await card.getByText(/answered/).or(card.getByRole('alert')).first().waitFor();
    expect(await card.getByRole('alert').count(), (await card.textContent()) ?? '').toBe(0);
  });

  it('brings the case back to File today to reopen, and records it', async () => {
    // Answered: the claim's case comes back to be reopened with the invoice.
    await waitFor(
      async () => ((await api(`/api/v1/filings/today?user_id=${userId}`)).body.cases as any[]).some((c) => c.reopens_case_id === caseId),
      'the case back on File today to reopen',
      60_000,
    );
    const reopening = ((await api(`/api/v1/filings/today?user_id=${userId}`)).body.cases as any[]).find((c) => c.reopens_case_id === caseId);
    await nav('File today').click();
    const row = page.getByTestId('cases-to-file').locator(`tr[data-case="${reopening.id}"]`);
    await row.getByText(`Reopens case ${caseId}`).waitFor();
    await shot(page, 'file-today-reopen');
    await row.getByRole('link').click();
    await page.getByRole('heading', { name: 'Where to file' }).waitFor();
    filingId = reopening.id;
    const kit = (await api(`/api/v1/filings/${filingId}`)).body.kit;
    // The evidence of the reopening carries the invoice.
    expect(kit.evidence_files.map((f: any) => f.name)).toContainEqual(expect.stringMatching(/invoice-INV-2026-118\.pdf$/));
    // A reply on Amazon's case, not a new case: the page says so, and recording it needs no typing.
    expect(await page.getByTestId('reopening').textContent()).toContain(`A reply on case ${caseId}`);
    expect(await page.getByTestId('case-text').textContent()).toContain(caseId);
    expect(await page.getByTestId('place').textContent()).toBe(`Case Log › case ${caseId} › Reply`);
    await shot(page, 'case-reopening');
    const record = page.getByRole('region', { name: 'Record the case id' });
    await record.getByRole('button', { name: `I replied on case ${caseId}` }).click();
    await record.getByTestId('recorded').filter({ hasText: caseId }).waitFor();
    await waitFor(async () => (await api(`/api/v1/claims/${claimId}`)).body.claim.status === 'filed', 'the claim filed again', 60_000);
  });

  it("reads Amazon's approval: the payout is credited to the claim and the 20% fee charged", async () => {
    const claim = (await api(`/api/v1/claims/${claimId}`)).body.claim;
    const amount = claim.amount as { minor: number; currency: string };
    const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: amount.currency }).format(amount.minor / 100);
    const reply = page.getByRole('region', { name: "Paste Amazon's reply" });
    await reply
      .getByLabel(/Amazon's reply/)
      .fill(
        `Hello,\n\nWe have reviewed case ${caseId} with the invoice you provided. We have approved a reimbursement of ${money} ` +
          `(Reimbursement ID 2953837461) for ${claim.quantity ?? 1} unit(s). It will appear in your next settlement.\n\nAmazon Seller Support`,
      );
    await reply.getByRole('button', { name: 'Read the reply' }).click();
    const reading = reply.getByTestId('reading');
    await reading.waitFor();
    expect(await reading.getAttribute('data-outcome')).toBe('approved');
    expect(await reading.textContent()).toContain('2953837461');
    expect(await reading.textContent()).toContain(money);
    await shot(page, 'case-approved');

    // Phase 7: the reimbursement credited to the claim, the fee posted once (charged, or owed below Stripe's minimum).
    await waitFor(async () => (await api(`/api/v1/claims/${claimId}`)).body.claim.status === 'paid', 'the claim paid', 60_000);
    const fee = Math.round((amount.minor * 2000) / 10_000);
    const [charge] = await rows<{ fee_minor: string; status: string }>(t.clario.database.db, sql`SELECT fee_minor, status FROM fee_charges WHERE claim_id = ${claimId}`);
    expect(Number(charge?.fee_minor)).toBe(fee);
    await page.getByRole('link', { name: new RegExp(claimId) }).first().click();
    await page.getByRole('heading', { name: 'Where it comes from' }).waitFor();
    expect(await page.getByRole('region', { name: 'Case' }).textContent()).toContain(money);
    await shot(page, 'claim-paid-by-hand');
    await nav('Overview').click();
    await page.getByTestId('stat-recovered').filter({ hasText: money }).waitFor();
    const feeMoney = new Intl.NumberFormat('en-US', { style: 'currency', currency: amount.currency }).format(fee / 100);
    // Charged through Stripe, or owed when below its minimum charge: either way the overview says so.
    const feeShown = charge?.status === 'deferred' ? page.getByTestId('stat-fees-owed') : page.getByTestId('stat-fees_charged');
    await feeShown.filter({ hasText: feeMoney }).waitFor();
  });

  it("gives an operator every seller's cases to file, grouped by seller", async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Token').fill(t.serviceToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Operator view' }).waitFor();
    await nav('File today').click();
    await page.getByRole('heading', { level: 1, name: 'File today' }).waitFor();
    const all = (await api('/api/v1/filings/today')).body;
    const group = page.getByRole('region', { name: new RegExp(`^Seller ${userId}`) });
    await group.waitFor();
    const mine = (all.cases as any[]).filter((c) => c.user_id === userId).map((c) => c.id);
    expect(mine.length).toBeGreaterThan(0);
    expect(await group.locator('tbody tr').evaluateAll((trs) => trs.map((tr: any) => tr.dataset.case))).toEqual(mine);
    await shot(page, 'file-today-operator');
    expect(browser.pageErrors).toEqual([]);
  });
});
