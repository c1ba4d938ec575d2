// The manual channel's kit over HTTP: File today lists the prepared case and the held claim, the
// case carries its kit, and its evidence download is a real zip (opened here) holding the summary
// PDF, the case text, the report lines under the report's own columns and every evidence file,
// safely and uniquely named. Each answer is the seller's own, the operator's for every seller.
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../src/store/db.js';
import { claims } from '../../src/store/schema/claims-tables.js';
import { claimEvidence, evidenceBlobs, evidenceFiles } from '../../src/store/schema/evidence-tables.js';
import { NO_LEARNING } from '../../src/evidence/match-claims.js';
import { rescoreAndRoute } from '../../src/routing/rescore.js';
import { recordMeasurement } from '../../src/routing/sku-measurements.js';
import { lineWriter } from '../../src/sync/store-lines.js';
import { filingWorld, type World } from './support.js';
import { unzip } from '../support/unzip.js';

const LEDGER = 'GET_LEDGER_DETAIL_VIEW_DATA.tsv';
const LEDGER_HEADER = 'Date\tFNSKU\tASIN\tMSKU\tTitle\tEvent Type\tReference ID\tQuantity\tFulfillment Center\tDisposition\tReason\tCountry\tReconciled Quantity\tUnreconciled Quantity\tDate and Time';
const ledgerLine = (fnsku: string, ref: string, qty: number) => `2026-12-20\t${fnsku}\tB0KIT\tKIT-${fnsku}\tA kit\tAdjustments\t${ref}\t${qty}\tPHX7\tSELLABLE\tM\tUS\t0\t${-qty}\t2026-12-20T10:00:00-07:00`;

async function storeLedger(w: World, userId: string, documentId: string, lines: readonly string[]) {
  const writer = lineWriter(w.db, { userId, source: LEDGER, syncId: `sync-${documentId}`, documentId });
  for (const [i, l] of lines.entries()) await writer.add(l, i + 2);
  await writer.finish();
  await rows(w.db, sql`INSERT INTO sync_sources (sync_id, source, user_id, status, header, document_id) VALUES (${`sync-${documentId}`}, ${LEDGER}, ${userId}, 'done', ${LEDGER_HEADER}, ${documentId})`);
}

async function lostClaim(w: World, userId: string, o: { id: string; fnsku: string; ref: string; line: number; deadline: string; amountMinor: number }) {
  await w.db.insert(claims).values({
    id: o.id,
    userId,
    type: 'lost_warehouse',
    status: 'ready',
    amountMinor: o.amountMinor,
    currency: 'USD',
    quantity: 2,
    deadline: o.deadline,
    details: {
      sku: `KIT-${o.fnsku}`,
      fnsku: o.fnsku,
      asin: 'B0KIT',
      key: { fnsku: o.fnsku, reference_id: o.ref },
      filing: { event_date: '2026-12-20', transaction_item_id: o.ref, fulfillment_center: 'PHX7', disposition: 'SELLABLE' },
      sources: [{ file: LEDGER, document_id: 'DOC-LEDGER-1', line: o.line, sync_id: 'sync-DOC-LEDGER-1' }],
    },
  });
}

async function attach(w: World, userId: string, claimId: string, fileId: string, filename: string, text: string) {
  const bytes = Buffer.from(text);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await w.db.insert(evidenceBlobs).values({ sha256, bytes, sizeBytes: bytes.length }).onConflictDoNothing();
  await w.db.insert(evidenceFiles).values({ id: fileId, userId, sha256, filename, contentType: 'application/pdf', sizeBytes: bytes.length, kind: 'invoice', status: 'parsed', report: {} });
  await w.db.insert(claimEvidence).values({ claimId, fileId, userId, role: 'invoice', itemIds: [] });
}

async function download(w: World, path: string, token: string | null) {
  const res = await fetch(`${w.t.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('the case kit over HTTP', () => {
  it('File today, the kit and the evidence zip: the seller\'s own, every seller\'s for the operator', async () => {
    // The service's clock says 2027-01-30: the nearest deadline, 2027-02-05, is six days away.
    const w = await filingWorld({ now: () => Date.parse('2027-01-30T12:00:00Z') });
    const user = 'seller_kit';
    await storeLedger(w, user, 'DOC-LEDGER-1', [ledgerLine('XK1', 'TII-1001', -2), ledgerLine('XK2', 'TII-1002', -2)]);
    await lostClaim(w, user, { id: 'clm_kit_a', fnsku: 'XK1', ref: 'TII-1001', line: 2, deadline: '2027-02-10', amountMinor: 2480 });
    await lostClaim(w, user, { id: 'clm_kit_b', fnsku: 'XK2', ref: 'TII-1002', line: 3, deadline: '2027-02-05', amountMinor: 1000 });
    await attach(w, user, 'clm_kit_a', 'evf_kit_1', 'invoice.pdf', '%PDF-1.4 first invoice');
    await attach(w, user, 'clm_kit_b', 'evf_kit_2', 'INVOICE.pdf', '%PDF-1.4 second invoice, same name but for case');
    await attach(w, user, 'clm_kit_b', 'evf_kit_3', '../../etc/passwd', 'not a password file');
    // A claim held back, with the reason the person is shown.
    await w.db.insert(claims).values({ id: 'clm_kit_held', userId: user, type: 'fee_overcharge', status: 'prompted', amountMinor: 300, currency: 'USD', quantity: 3, deadline: '2027-03-01', details: { sku: 'FEE-1', hold: { code: 'needs_measurements', reason: 'Amazon needs your measured dimensions, weight and photos' } } });
    // And one held as too doubtful to file until the seller uploads the invoice (no hold of its own).
    await w.db.insert(claims).values({ id: 'clm_kit_doubt', userId: user, type: 'lost_warehouse', status: 'held', amountMinor: 900, currency: 'USD', quantity: 1, deadline: '2027-04-01', score: { missing: ['upload_invoice'] }, details: { sku: 'LOW-1' } });
    // Another seller's prepared case.
    await lostClaim(w, 'seller_other', { id: 'clm_kit_other', fnsku: 'XO1', ref: 'TII-2001', line: 9, deadline: '2027-01-31', amountMinor: 500 });

    expect(await w.filer({ channel: { kind: 'manual' } }).runOnce()).toEqual({ prepared: 2, filed: 0, failed: 0 });
    const mine = await w.t.sellerToken(user);
    const theirs = await w.t.sellerToken('seller_other');

    // File today: the seller's own case and held claim.
    const today = await w.t.request('/api/v1/filings/today', { token: mine });
    expect(today.status).toBe(200);
    expect(today.body.day).toBe('2027-01-30');
    expect(today.body.cases).toHaveLength(1);
    const [c] = today.body.cases;
    expect(c).toEqual({
      id: expect.any(String),
      user_id: user,
      claim_type: 'lost_warehouse',
      where: 'Inventory Defect & Reimbursement › Eligible for claim',
      claims: 2,
      units: 4,
      amount: { amount_minor: 3480, currency: 'USD' },
      deadline: '2027-02-05',
      days_left: 6,
      reopens_case_id: null,
    });
    expect(today.body.held).toEqual([
      { claim_id: 'clm_kit_held', user_id: user, claim_type: 'fee_overcharge', reason: 'Amazon needs your measured dimensions, weight and photos', code: 'needs_measurements', deadline: '2027-03-01' },
      { claim_id: 'clm_kit_doubt', user_id: user, claim_type: 'lost_warehouse', reason: 'Waiting for evidence: upload the supplier invoice and Clario can file it.', code: 'needs_evidence', deadline: '2027-04-01' },
    ]);

    // Another seller sees only theirs, and cannot name this one; the operator sees both, nearest deadline first.
    expect((await w.t.request('/api/v1/filings/today', { token: theirs })).body.cases.map((x: any) => x.user_id)).toEqual(['seller_other']);
    expect((await w.t.request('/api/v1/filings/today', { token: theirs })).body.held).toEqual([]);
    expect((await w.t.request(`/api/v1/filings/today?user_id=${user}`, { token: theirs })).status).toBe(403);
    expect((await w.t.request('/api/v1/filings/today', { token: null })).status).toBe(401);
    const all = await w.t.request('/api/v1/filings/today');
    expect(all.body.cases.map((x: any) => [x.user_id, x.deadline])).toEqual([['seller_other', '2027-01-31'], [user, '2027-02-05']]);
    expect((await w.t.request(`/api/v1/filings/today?user_id=${user}`)).body.cases.map((x: any) => x.id)).toEqual([c.id]);
    expect((await w.t.request('/api/v1/filings/today?user_id=')).status).toBe(400);

    // The kit: where, fields, text in Amazon's terms, the download.
    const filing = await w.t.request(`/api/v1/filings/${c.id}`, { token: mine });
    expect(filing.status).toBe(200);
    const kit = filing.body.kit;
    expect(kit.claim_type).toBe('lost_warehouse');
    expect(kit.where.url).toBe('https://sellercentral.amazon.com/help/hub/reference/external/GGEV4254LJJ9BAEG');
    expect(kit.fields).toContainEqual({ claim_id: 'clm_kit_a', label: 'Transaction Item ID', value: 'TII-1001' });
    expect(kit.fields).toContainEqual({ claim_id: 'clm_kit_b', label: 'Fulfillment center', value: 'PHX7' });
    expect(kit.fields).toContainEqual({ claim_id: null, label: 'Total amount requested', value: '34.80 USD' });
    expect(kit.text).toBe(filing.body.body);
    expect(kit.text).toContain('Shown in: Inventory Ledger (detailed view).');
    expect(kit.text).not.toMatch(/GET_LEDGER|DOC-LEDGER|clm_kit|line \d/);
    expect(kit.evidence_url).toBe(`/api/v1/filings/${c.id}/evidence.zip`);
    // Listed by uploaded name; the second of two names equal but for case gets a number, a path only its file name.
    expect(kit.evidence_files.map((f: any) => f.name)).toEqual(['passwd', 'INVOICE.pdf', 'invoice (2).pdf']);

    // The zip, opened.
    const zip = await download(w, kit.evidence_url, mine);
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    expect(zip.headers.get('content-disposition')).toBe(`attachment; filename="case-${c.id}.zip"`);
    const entries = await unzip(zip.bytes);
    expect([...entries.keys()]).toEqual(['summary.pdf', 'case-text.txt', 'report-lines.csv', 'evidence/passwd', 'evidence/INVOICE.pdf', 'evidence/invoice (2).pdf']);
    expect(entries.get('summary.pdf')?.subarray(0, 5).toString()).toBe('%PDF-');
    expect(entries.get('case-text.txt')?.toString()).toBe(kit.text);
    const csv = entries.get('report-lines.csv')?.toString().split('\r\n') ?? [];
    expect(csv[0]).toBe(`Case item,Report,${LEDGER_HEADER.split('\t').join(',')}`);
    // Each line under the number its claim has in the case text (nearest deadline first: b, then a).
    expect(filing.body.claim_ids).toEqual(['clm_kit_b', 'clm_kit_a']);
    expect(csv.slice(1)).toEqual([
      `1,Inventory Ledger (detailed view),${ledgerLine('XK2', 'TII-1002', -2).split('\t').join(',')}`,
      `2,Inventory Ledger (detailed view),${ledgerLine('XK1', 'TII-1001', -2).split('\t').join(',')}`,
      '',
    ]);
    const names = new Map([['evidence/invoice (2).pdf', '%PDF-1.4 first invoice'], ['evidence/INVOICE.pdf', '%PDF-1.4 second invoice, same name but for case'], ['evidence/passwd', 'not a password file']]);
    for (const [name, text] of names) expect(entries.get(name)?.toString()).toBe(text);

    // Only the seller's own (another seller: as if it did not exist), or the operator's.
    expect((await download(w, kit.evidence_url, theirs)).status).toBe(404);
    expect((await download(w, kit.evidence_url, null)).status).toBe(401);
    expect((await download(w, kit.evidence_url, w.t.serviceToken)).status).toBe(200);
    expect((await download(w, '/api/v1/filings/fil_nope/evidence.zip', mine)).status).toBe(404);
    expect((await w.t.request(`/api/v1/filings/${c.id}`, { token: theirs })).status).toBe(404);

    // A file whose bytes are gone fails the download before it starts, rather than a zip without it.
    await rows(w.db, sql`DELETE FROM evidence_blobs WHERE sha256 = (SELECT sha256 FROM evidence_files WHERE id = 'evf_kit_3')`);
    expect((await download(w, kit.evidence_url, mine)).status).toBe(500);
  });

  it('a fee claim\'s kit carries the seller\'s measurement as fields and in the text, and its photos land under evidence/ in the zip, also for a fee charge detected after the measurement', async () => {
    const w = await filingWorld();
    const user = 'seller_fee_kit';
    // The seller measured SKU FEE-M (with one photo) for an earlier fee claim.
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await w.db.insert(evidenceBlobs).values({ sha256, bytes, sizeBytes: bytes.length }).onConflictDoNothing();
    await w.db.insert(evidenceFiles).values({ id: 'evf_fee_photo', userId: user, sha256, filename: 'on-scale.jpg', contentType: 'image/jpeg', sizeBytes: bytes.length, kind: 'measurement_photo', status: 'parsed', report: {} });
    await recordMeasurement(w.db, { userId: user, sku: 'FEE-M', measurements: { lengthMm: 305, widthMm: 102, heightMm: 200, weightG: 1250 }, photoFileIds: ['evf_fee_photo'], promptId: 'prm_earlier', measuredAt: new Date('2027-01-05T09:30:00Z') });
    // A new fee charge of that SKU: routed ready on the measurement, its photo linked.
    await w.db.insert(claims).values({ id: 'clm_fee_kit', userId: user, type: 'fee_overcharge', status: 'detected', amountMinor: 420, currency: 'USD', quantity: 3, deadline: '2099-03-01', details: { type: 'fee_overcharge', sku: 'FEE-M', asin: 'B0FEE', key: { sku: 'FEE-M' }, filing: { event_date: '2026-11-02' } } });
    const routed = await rescoreAndRoute(w.db, { userId: user, learned: NO_LEARNING, thresholds: { autoSubmit: 0.85, smartPrompt: 0.5 }, now: new Date('2027-01-06T00:00:00Z') });
    expect(routed.map((r) => [r.id, r.to])).toEqual([['clm_fee_kit', 'ready']]);
    expect(await w.filer({ channel: { kind: 'manual' } }).runOnce()).toEqual({ prepared: 1, filed: 0, failed: 0 });

    const token = await w.t.sellerToken(user);
    const [c] = (await w.t.request('/api/v1/filings/today', { token })).body.cases;
    const kit = (await w.t.request(`/api/v1/filings/${c.id}`, { token })).body.kit;
    const field = (label: string) => kit.fields.find((f: any) => f.label === label)?.value;
    expect([field('Item package dimensions'), field('Item package weight'), field('Item package dimensions (inches)'), field('Item package weight (pounds)'), field('Measured on')]).toEqual([
      '30.5 × 20.0 × 10.2 cm',
      '1.25 kg',
      '12.01 × 7.87 × 4.02 in',
      '2.756 lb',
      '2027-01-05',
    ]);
    expect(kit.text).toContain('My measurement of the unit in its packaging, longest side first: 30.5 × 20.0 × 10.2 cm, 1.25 kg (12.01 × 7.87 × 4.02 in, 2.756 lb), measured on 2027-01-05; a photo of it is attached.');
    expect(kit.text).toContain('- on-scale.jpg (photo of the measured unit)');
    expect(kit.evidence_files).toEqual([{ name: 'on-scale.jpg', kind: 'measurement_photo' }]);

    const entries = await unzip((await download(w, kit.evidence_url, token)).bytes);
    expect([...entries.keys()]).toEqual(['summary.pdf', 'case-text.txt', 'report-lines.csv', 'evidence/on-scale.jpg']);
    expect(entries.get('evidence/on-scale.jpg')?.equals(bytes)).toBe(true);
    expect(entries.get('case-text.txt')?.toString()).toContain('1.25 kg (12.01 × 7.87 × 4.02 in, 2.756 lb)');
  });
});
