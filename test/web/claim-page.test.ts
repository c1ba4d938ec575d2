// A claim's own page in a real browser (Debian's Chromium through playwright-core) against a real
// Clario: a held claim waiting for the supplier invoice takes it right there (a held claim has no
// smart prompt to upload it on), says the server's refusal of an empty file, and shows the invoice
// among its evidence once uploaded; a paid claim names Amazon's reimbursement id, never Clario's
// payout key, and leaves out what Amazon's report did not give rather than printing "(—)".
import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPrompt } from '../../src/store/prompt-rows.js';
import { feeCharges } from '../../src/store/schema/billing-tables.js';
import { claims } from '../../src/store/schema/claims-tables.js';
import { reimbursements } from '../../src/store/schema/payouts-tables.js';
import { proofPackets } from '../../src/store/schema/proof-tables.js';
import { invoicePdf } from '../evidence/support/documents.js';
import { buildWeb, chromiumFound, launchBrowser, shot, type Browser } from '../support/browser.js';
import { startTestClario, type TestClario } from '../support/clario.js';

const describeBrowser = chromiumFound() ? describe : describe.skip;

const LINE_KEY = 'DL-1096-WHI-US|X003CQZN03|';

describeBrowser("a claim's page", () => {
  let t: TestClario;
  let webDir: string;
  let browser: Browser;
  let page: Page;
  let userId = '';
  const day = (ahead: number) => new Date(Date.now() + ahead * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    webDir = await buildWeb();
    t = await startTestClario({ webDir });
    browser = await launchBrowser();
    page = browser.page;
    await page.goto(`${t.url}/`);
    await page.getByRole('link', { name: 'Sign in with Amazon' }).click();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${t.url}/overview`);
    userId = ((await page.evaluate(async () => (await fetch('/api/v1/session')).json())) as { user_id: string }).user_id;

    const db = t.clario.database.db;
    await db.insert(claims).values([
      // Scored too doubtful to file without the supplier invoice (src/evidence/score-claim.ts).
      {
        id: 'cp-held-1', userId, type: 'lost_warehouse', status: 'held', amountMinor: 3_720, currency: 'USD', quantity: 3, deadline: day(30), confidence: 0.35,
        details: { sku: 'SKU-HELD-1', key: { sku: 'SKU-HELD-1' } },
        score: { version: 1, evidence: 0.35, confidence: 0.35, reasons: ['3 units missing in the Inventory Ledger'], missing: ['upload_invoice', 'confirm'] },
      },
      // Asked to confirm, with no invoice on file: confirming alone does not let Clario file it.
      { id: 'cp-ask-1', userId, type: 'lost_warehouse', status: 'prompted', amountMinor: 1_324, currency: 'USD', quantity: 2, deadline: day(20), details: { sku: 'SKU-ASK-1', key: { sku: 'SKU-ASK-1' } } },
      { id: 'cp-paid-1', userId, type: 'lost_warehouse', status: 'paid', amountMinor: 2_316, currency: 'USD', quantity: 2, deadline: day(10), caseId: '17345678901', details: { sku: 'DL-1096-WHI-US' } },
    ]);
    await openPrompt(db, { userId, claimId: 'cp-ask-1', asks: [{ need: 'confirm', message: 'Confirm the lost warehouse claim for 2 units of SKU-ASK-1 is right.' }, { need: 'dismiss', message: 'Dismiss the claim if it is wrong.' }] });
    // Paid by a Reimbursements report line that gives neither reason nor approval date.
    await db.insert(reimbursements).values({
      userId, reimbursementId: '9000000020', lineKey: LINE_KEY, caseId: '17345678901', claimId: 'cp-paid-1', kind: 'reimbursement', reason: null,
      sku: 'DL-1096-WHI-US', fnsku: 'X003CQZN03', quantity: 2, amountMinor: 2_316, currency: 'USD', approvalDate: null, attributed: true,
    });
    // Phase 7 credited it: what the claim page lists.
    await db.insert(feeCharges).values({
      payoutId: `9000000020:${LINE_KEY}`, userId, claimId: 'cp-paid-1', caseId: '17345678901', kind: 'charge', reimbursedMinor: 2_316, feeMinor: 463, currency: 'USD', rateBp: 2000, status: 'charged',
    });
    await db.insert(proofPackets).values({ claimId: 'cp-paid-1', userId, payoutId: `9000000020:${LINE_KEY}`, sha256: 'b'.repeat(64), bytes: Buffer.from('%PDF-1.4\n'), sizeBytes: 9 });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    if (webDir) rmSync(webDir, { recursive: true, force: true });
  });

  it('takes the supplier invoice a held claim waits for, says why an empty file is refused, and lists the invoice among its evidence', async () => {
    await page.goto(`${t.url}/claims/cp-held-1`);
    await page.getByTestId('waiting').waitFor();
    expect(await page.getByTestId('waiting').textContent()).toContain('upload the supplier invoice');
    const evidence = page.getByRole('region', { name: 'Evidence', exact: true });
    expect(await evidence.textContent()).toContain('No evidence attached.');
    const upload = page.getByRole('region', { name: 'Add the evidence' });
    // Only the document the score asks for.
    expect(await upload.getByText('Upload the supplier invoice', { exact: true }).count()).toBe(1);
    expect(await upload.getByText('Upload the proof of delivery', { exact: true }).count()).toBe(0);
    await shot(page, 'claim-held-upload');

    // The server's refusal is shown as it says it.
    await upload.locator('input[type=file]').setInputFiles({ name: 'empty.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(0) });
    await expect.poll(async () => (await upload.getByRole('alert').count()) > 0 && (await upload.getByRole('alert').textContent())).toBe('Not uploaded: empty.pdf is empty');

    const pdf = await invoicePdf({ number: 'INV-HELD-7', date: day(-60), supplier: 'Acme Trading Ltd', lines: [{ sku: 'SKU-HELD-1', description: 'Bamboo board', qty: '40', price: '12.40' }] });
    await upload.locator('input[type=file]').setInputFiles({ name: 'invoice-INV-HELD-7.pdf', mimeType: 'application/pdf', buffer: pdf });
    // The page reloads the claim: the invoice is among its evidence, and the outcome is said.
    await expect.poll(async () => evidence.textContent(), { timeout: 60_000 }).toContain('invoice-INV-HELD-7.pdf');
    expect(await page.getByTestId('upload-outcome').textContent()).toContain("Added invoice-INV-HELD-7.pdf to this claim's evidence");
    expect(await page.getByRole('alert').count()).toBe(0);
    // The server scored it again: the score no longer asks for the invoice.
    const now = (await t.request(`/api/v1/claims/cp-held-1`)).body;
    expect(now.claim.score.missing).not.toContain('upload_invoice');
    expect(now.evidence.map((e: { filename: string }) => e.filename)).toEqual(['invoice-INV-HELD-7.pdf']);
    await shot(page, 'claim-held-uploaded');
  }, 180_000);

  it("names a payout by Amazon's reimbursement id and leaves out the date Amazon did not give", async () => {
    await page.goto(`${t.url}/claims/cp-paid-1`);
    const payouts = page.getByTestId('payouts');
    await payouts.waitFor();
    expect((await payouts.textContent())?.trim()).toBe('Reimbursement 9000000020: $23.16 for 2 units');
    const proof = page.getByRole('region', { name: 'Proof packet' });
    expect(await proof.textContent()).toContain('reimbursement 9000000020');
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).not.toContain(LINE_KEY);
    expect(main).not.toContain('(—)');
    // No upload on a paid claim.
    expect(await page.getByRole('region', { name: 'Add the evidence' }).count()).toBe(0);
    await shot(page, 'claim-paid');
  }, 120_000);

  it('says, after Confirm, what Clario still needs when it asks again, not "the claim is now prompted"', async () => {
    await page.goto(`${t.url}/prompts`);
    const [prompt] = (await t.request(`/api/v1/prompts?status=open&user_id=${userId}`)).body.prompts.filter((p: { claim_id: string }) => p.claim_id === 'cp-ask-1');
    const card = page.locator(`[data-prompt="${prompt.id}"]`);
    await card.getByRole('button', { name: 'Confirm' }).click();
    await card.getByText(/answered/).waitFor();
    const said = (await card.textContent()) ?? '';
    expect(said).not.toContain('the claim is now prompted');
    const next = (await t.request(`/api/v1/prompts?status=open&user_id=${userId}`)).body.prompts.find((p: { claim_id: string }) => p.claim_id === 'cp-ask-1');
    // Routing asks again for the invoice (no document on file): the page says so in the new prompt's words.
    expect(next?.asks.map((a: { need: string }) => a.need)).toContain('upload_invoice');
    expect(said).toContain('Lost warehouse: thanks, answered — Clario still needs: upload the supplier invoice for 2 units of SKU-ASK-1 (claim worth $13.24)');
    await shot(page, 'prompt-confirmed-asked-again');
  }, 120_000);
});
