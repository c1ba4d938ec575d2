// The demo seller against detection: every planted claim is found with its quantity, value,
// status and deadline, and nothing else. The ground truth comes from what the generator planted,
// never from detection, so a disagreement points at one of the two.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLAIM_TYPES, claimIdentity, detect, type Claim, type Diagnostic } from '../../../src/detection/index.js';
import { generateSeller, GROUND_TRUTH_FILE, type ExpectedClaim, type SellerOptions } from '../../../src/simulator/seller/index.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clario-seller-'));
  made.push(dir);
  return dir;
}

const AS_OF = '2026-11-22';
const V1_KEY_FIELDS = ['fnsku', 'shipment_id', 'order_id', 'removal_order_id', 'sku', 'reimbursement_id'] as const;
const KEY_FIELDS = [...V1_KEY_FIELDS, 'reference_id', 'tracking_number'] as const;

/** The same identity as claimIdentity: type, version-1 key fields in a fixed order, currency, then version 2's fields when the key has any. */
function expectedIdentity(c: ExpectedClaim): string {
  const base = `${c.type}|${V1_KEY_FIELDS.map((f) => c.key[f] ?? '').join('|')}|${c.currency ?? ''}`;
  return c.key.reference_id === undefined && c.key.tracking_number === undefined ? base : `${base}|${c.key.reference_id ?? ''}|${c.key.tracking_number ?? ''}`;
}

/** What the comparison looks at, per identity, so a failure shows the whole difference at once. */
function viewOfClaims(claims: readonly Claim[]): Record<string, unknown> {
  return Object.fromEntries(
    claims.map((c) => [claimIdentity(c), { quantity: c.quantity, amount: c.amount?.minor ?? null, status: c.status, deadline: c.deadline }]),
  );
}
function viewOfTruth(truth: readonly ExpectedClaim[]): Record<string, unknown> {
  return Object.fromEntries(truth.map((c) => [expectedIdentity(c), { quantity: c.quantity, amount: c.amount, status: c.status, deadline: c.deadline }]));
}

async function generateAndDetect(options: SellerOptions, gzip = false) {
  const dir = tempDir();
  const seller = await generateSeller(options, dir, { gzip });
  const diagnostics: Diagnostic[] = [];
  const result = await detect(dir, { asOf: options.asOf, onDiagnostic: (d) => diagnostics.push(d) });
  return { dir, seller, diagnostics, ...result };
}

function digest(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((name) => [name, createHash('sha256').update(readFileSync(join(dir, name))).digest('hex')]));
}

describe('the demo seller', () => {
  it('gives detection exactly the planted claims, with their quantities, values, statuses and deadlines', async () => {
    const { seller, claims, diagnostics, summary } = await generateAndDetect({ seed: 7, asOf: AS_OF });

    expect(diagnostics).toEqual([]);
    expect(viewOfClaims(claims)).toEqual(viewOfTruth(seller.groundTruth));
    // Every one of the eleven claim types is planted (the generator's own list of them is
    // detection's, no more, no less), and every status appears.
    expect([...new Set(seller.groundTruth.map((c) => c.type))].sort()).toEqual([...CLAIM_TYPES].sort());
    expect(CLAIM_TYPES).toHaveLength(11);
    expect(new Set(seller.groundTruth.map((c) => c.status))).toEqual(new Set(['eligible', 'pending', 'expired']));
    expect(summary.files.every((f) => f.skipped === 0 && !f.unusable)).toBe(true);
  });

  it('never claims a planted look-alike: found later, reimbursed, customer-damaged, defective, within tolerance, too old', async () => {
    const { seller, claims } = await generateAndDetect({ seed: 7, asOf: AS_OF });
    const claimed = new Set(claims.map((c) => `${c.type}|${KEY_FIELDS.map((f) => c.key[f] ?? '').join('|')}`));

    expect(seller.negatives.length).toBeGreaterThanOrEqual(15);
    const wronglyClaimed = seller.negatives.filter((n) => claimed.has(`${n.type}|${KEY_FIELDS.map((f) => n.key[f] ?? '').join('|')}`));
    expect(wronglyClaimed).toEqual([]);
  });

  it('values claims in each marketplace\'s currency for a seller in four stores', async () => {
    const { seller, claims, diagnostics } = await generateAndDetect({ seed: 11, asOf: '2025-03-01', marketplaces: ['US', 'CA', 'UK', 'DE'] });

    expect(diagnostics).toEqual([]);
    expect(viewOfClaims(claims)).toEqual(viewOfTruth(seller.groundTruth));
    expect(new Set(claims.map((c) => c.amount?.currency))).toEqual(new Set(['USD', 'CAD', 'GBP', 'EUR', undefined]));
  });

  it('writes the ledger as a Seller Central download: its header, MM/DD/YYYY dates, at least the rows asked for', async () => {
    const dir = tempDir();
    const seller = await generateSeller({ seed: 3, asOf: AS_OF, ledgerRows: 5_000 }, dir);
    const [header, first] = readFileSync(join(dir, 'GET_LEDGER_DETAIL_VIEW_DATA.tsv'), 'utf8').split('\n');

    expect(header).toBe(
      'Date\tFNSKU\tASIN\tMSKU\tTitle\tEvent Type\tReference ID\tQuantity\tFulfillment Center\tDisposition\tReason\tCountry\tReconciled Quantity\tUnreconciled Quantity\tDate and Time',
    );
    expect(first?.split('\t')[0]).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    expect(seller.rows['GET_LEDGER_DETAIL_VIEW_DATA.tsv']).toBeGreaterThanOrEqual(5_000);
    const truth = readFileSync(join(dir, GROUND_TRUTH_FILE), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ExpectedClaim);
    expect(truth).toEqual(seller.groundTruth);
  });

  it('writes byte-identical files for the same seed, and different ones for another seed', async () => {
    const options = { seed: 5, asOf: AS_OF };
    const a = tempDir();
    const b = tempDir();
    const c = tempDir();
    await generateSeller(options, a);
    await generateSeller(options, b);
    await generateSeller({ ...options, seed: 6 }, c);

    expect(digest(a)).toEqual(digest(b));
    expect(digest(a)['GET_LEDGER_DETAIL_VIEW_DATA.tsv']).not.toBe(digest(c)['GET_LEDGER_DETAIL_VIEW_DATA.tsv']);
  });

  it('gives the same claims when every file is gzipped, and the gzipped files are reproducible too', async () => {
    const plain = await generateAndDetect({ seed: 9, asOf: AS_OF });
    const gzipped = await generateAndDetect({ seed: 9, asOf: AS_OF }, true);
    const again = tempDir();
    await generateSeller({ seed: 9, asOf: AS_OF }, again, { gzip: true });

    expect(gzipped.seller.files.filter((f) => f !== GROUND_TRUTH_FILE).every((f) => f.endsWith('.gz'))).toBe(true);
    expect(gzipped.diagnostics).toEqual([]);
    expect(viewOfClaims(gzipped.claims)).toEqual(viewOfClaims(plain.claims));
    expect(gzipped.seller.groundTruth).toEqual(plain.seller.groundTruth);
    expect(digest(again)).toEqual(digest(gzipped.dir));
  });
});
