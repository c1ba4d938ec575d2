// Routing bands, smart prompts and evidence uploads over HTTP, on a whole Clario with the real
// capabilities: claims are routed by phases 3–4, a prompt answered with an uploaded invoice
// moves its claim to ready, and no seller can see or use another seller's files or prompts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/store/db.js';
import { claims } from '../../src/store/schema/claims-tables.js';
import { syncRuns } from '../../src/store/schema/sync-tables.js';
import { openPrompt } from '../../src/store/prompt-rows.js';
import { EVENT_CATALOGUE } from '../../src/workflow/messages.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { describeWithPostgres } from '../support/infra.js';
import { waitFor } from '../support/wait.js';
import { invoicePdf, photo } from './support/documents.js';
import { inThreadReader } from './support/in-thread-reader.js';

const MAX_BYTES = 64 * 1024;

function claim(userId: string, id: string, o: { type: string; sku: string; quantity: number; amount: number | null; status?: 'detected' | 'expired'; key?: Record<string, string> }) {
  return {
    id,
    userId,
    syncId: `${userId}-run`,
    type: o.type,
    status: o.status ?? ('detected' as const),
    amountMinor: o.amount,
    currency: o.amount === null ? null : 'USD',
    quantity: o.quantity,
    // Far ahead: the filer never files a claim past its deadline.
    deadline: '2099-03-31',
    details: { type: o.type, sku: o.sku, fnsku: `X00${o.sku}`, quantity: o.quantity, key: o.key ?? { fnsku: `X00${o.sku}` }, sources: [] },
  };
}

for (const store of ['pglite', 'postgres'] as const) {
(store === 'postgres' ? describeWithPostgres : describe)(`routing, smart prompts and evidence over HTTP (${store})`, () => {
  let t: TestClario;
  let alice: string;
  let bob: string;

  async function upload(token: string | null, files: Array<{ name: string; type: string; bytes: Uint8Array | string }>, fields: Record<string, string> = {}) {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    for (const f of files) form.append('file', new Blob([f.bytes], { type: f.type }), f.name);
    const res = await fetch(`${t.url}/api/v1/evidence`, { method: 'POST', body: form, headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, body: (await res.json()) as any };
  }
  const statusOf = async (id: string) => (await rows<{ status: string }>(t.clario.database.db, sql`SELECT status FROM claims WHERE id = ${id}`))[0]?.status;

  beforeAll(async () => {
    // Files are read on this thread: a worker per file started from TypeScript source costs
    // seconds each, and reading off the thread is hostile-files.test.ts's subject.
    t = await startTestClario({ store, env: { EVIDENCE_MAX_FILE_BYTES: String(MAX_BYTES) }, evidenceReader: inThreadReader() });
    alice = await t.sellerToken('alice');
    bob = await t.sellerToken('bob');
    const db = t.clario.database.db;
    await db.insert(syncRuns).values([{ id: 'alice-run', userId: 'alice' }, { id: 'bob-run', userId: 'bob' }]);
    await db.insert(claims).values([
      claim('alice', 'a-fee', { type: 'fee_overcharge', sku: 'SKU-F', quantity: 12, amount: 840, key: { sku: 'SKU-F' } }),
      claim('alice', 'a-lost', { type: 'lost_warehouse', sku: 'SKU-1', quantity: 40, amount: 49_600 }),
      claim('alice', 'a-damaged', { type: 'damaged_warehouse', sku: 'SKU-2', quantity: 10, amount: 5000 }),
      claim('alice', 'a-unvalued', { type: 'lost_warehouse', sku: 'SKU-3', quantity: 3, amount: null }),
      claim('alice', 'a-old', { type: 'lost_warehouse', sku: 'SKU-4', quantity: 3, amount: 900, status: 'expired' }),
      claim('bob', 'b-lost', { type: 'lost_warehouse', sku: 'SKU-1', quantity: 5, amount: 6200 }),
    ]);
    for (const user of ['alice', 'bob']) {
      const r = await t.request('/api/v1/workflow/phase/3', { body: { user_id: user, sync_id: `${user}-run` } });
      expect(r.status).toBe(202);
    }
    for (const user of ['alice', 'bob']) {
      await waitFor(async () => (await t.request(`/api/v1/workflow/status/${user}`)).body.runs[0]?.phases[3]?.status === 'completed', `phase 4 of ${user}`);
    }
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('routes each band: ≥0.85 ready, 0.50–0.85 prompted with the right asks, <0.50 held; expired left alone', async () => {
    // A fee claim is never ready before the seller has measured its SKU.
    expect(await statusOf('a-fee')).toBe('prompted');
    expect(await statusOf('a-lost')).toBe('prompted');
    expect(await statusOf('a-unvalued')).toBe('held');
    expect(await statusOf('a-old')).toBe('expired');
    const [held] = await rows<{ confidence: number; score: any }>(t.clario.database.db, sql`SELECT confidence, score FROM claims WHERE id = 'a-unvalued'`);
    expect(held?.confidence).toBeCloseTo(0.3, 5);
    expect(held?.score.reasons).toContain("the claim's value is unknown: no unit cost or sale price");

    const open = await t.request('/api/v1/prompts?status=open', { token: alice });
    expect(open.status).toBe(200);
    const lost = open.body.prompts.find((p: any) => p.claim_id === 'a-lost');
    expect(lost).toMatchObject({
      status: 'open',
      asks: [{ need: 'upload_invoice' }, { need: 'confirm' }, { need: 'dismiss' }],
      claim: { id: 'a-lost', type: 'lost_warehouse', status: 'prompted', confidence: 0.55, amount: { minor: 49_600, currency: 'USD' }, quantity: 40, deadline: '2099-03-31' },
    });
    expect(open.body.prompts.map((p: any) => p.claim_id).sort()).toEqual(['a-damaged', 'a-fee', 'a-lost']);
    expect(open.body.prompts.find((p: any) => p.claim_id === 'a-fee').asks.map((a: any) => a.need)).toEqual(['measure', 'dismiss']);

    // Phase 4 again: nothing changes, and the seller is not asked twice.
    const again = await t.request('/api/v1/workflow/phase/4', { body: { user_id: 'alice', sync_id: 'alice-run', rerun: 1 } });
    await waitFor(async () => (await t.clario.engine.findEvent(again.body.event_id))?.status === 'completed', 'phase 4 again');
    expect((await t.request('/api/v1/prompts?status=open', { token: alice })).body.prompts.find((p: any) => p.claim_id === 'a-lost').id).toBe(lost.id);

    // What the WebSocket gets: catalogued messages.
    const sent = await rows<{ type: string; payload: any }>(t.clario.database.db, sql`SELECT type, payload FROM outbox WHERE user_id = 'alice' AND type IN ('claim.routed', 'prompt.opened')`);
    expect(sent.filter((m) => m.type === 'prompt.opened').map((m) => m.payload.claim_id).sort()).toEqual(['a-damaged', 'a-fee', 'a-lost']);
    expect(sent.filter((m) => m.type === 'claim.routed')).toHaveLength(4);
    for (const m of sent) expect(EVENT_CATALOGUE.find((e) => e.type === m.type)?.schema.safeParse(m.payload).success, m.type).toBe(true);
  });

  it('a prompt answered by upload moves the claim to ready', async () => {
    // The supplier's invoice names the product, not the seller's SKU: only the seller can say it belongs.
    const csv = 'Invoice,Date,Supplier,Description,Qty,Unit Price\nINV-88,2026-01-10,Acme,Blue widget (carton of 40),40,12.40\n';
    const up = await upload(alice, [{ name: 'inv-88.csv', type: 'text/csv', bytes: csv }]);
    expect(up.status).toBe(201);
    const file = up.body.files[0];
    expect(file).toMatchObject({ filename: 'inv-88.csv', kind: 'invoice', status: 'parsed', report: { lines_read: 1, items: 1, skipped: [] }, matched_claims: [] });
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await statusOf('a-lost')).toBe('prompted');

    const prompt = (await t.request('/api/v1/prompts?status=open', { token: alice })).body.prompts.find((p: any) => p.claim_id === 'a-lost');
    const answer = await t.request(`/api/v1/prompts/${prompt.id}/answer`, { token: alice, body: { action: 'upload', file_ids: [file.id] } });
    expect(answer.status).toBe(200);
    expect(answer.body.prompt).toMatchObject({ id: prompt.id, status: 'answered', answer: { action: 'upload', file_ids: [file.id] } });
    expect(answer.body.claim).toMatchObject({ id: 'a-lost', type: 'lost_warehouse', status: 'ready', confidence: 1, amount: { minor: 49_600, currency: 'USD' }, quantity: 40 });
    expect(answer.body.claim.score.reasons).toContain('invoice INV-88 covers 40 units of SKU-1 at 12.40 USD, dated before the loss');
    expect(await statusOf('a-lost')).toBe('ready');

    const again = await t.request(`/api/v1/prompts/${prompt.id}/answer`, { token: alice, body: { action: 'confirm' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');

    const one = await t.request(`/api/v1/evidence/${file.id}`, { token: alice });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ file: { id: file.id, matched_claims: ['a-lost'] }, claims: ['a-lost'], items: [{ line: 2, document_ref: 'INV-88', quantity: 40, unit_cost: { minor: 1240, currency: 'USD' }, date: '2026-01-10' }] });
  });

  it('an upload that names the SKU matches and re-routes the claims it supports by itself', async () => {
    const pdf = await invoicePdf({ number: 'INV-91', date: '2026-01-02', supplier: 'Acme', lines: [{ sku: 'SKU-2', description: 'Green widget', qty: '10', price: '5.00' }] });
    const up = await upload(alice, [{ name: 'inv-91.pdf', type: 'application/pdf', bytes: pdf }]);
    expect(up.status).toBe(201);
    expect(up.body.files[0]).toMatchObject({ kind: 'invoice', status: 'parsed', matched_claims: ['a-damaged'] });
    expect(await statusOf('a-damaged')).toBe('ready');
    // Its prompt is no longer open (the fee claim still waits for its measurement).
    expect((await t.request('/api/v1/prompts?status=open', { token: alice })).body.prompts.map((p: any) => p.claim_id)).toEqual(['a-fee']);

    // The same bytes again: the same file.
    const dup = await upload(alice, [{ name: 'copy.pdf', type: 'application/pdf', bytes: pdf }]);
    expect(dup.status).toBe(201);
    expect(dup.body.files[0].id).toBe(up.body.files[0].id);
    const listed = await t.request('/api/v1/evidence', { token: alice });
    expect(listed.body.files).toHaveLength(2);
    expect(JSON.stringify(listed.body)).not.toContain('"bytes"');
  });

  it('dismissing a prompt dismisses the claim', async () => {
    const [p] = (await t.request('/api/v1/prompts?status=open', { token: bob })).body.prompts;
    expect(p.claim_id).toBe('b-lost');
    const r = await t.request(`/api/v1/prompts/${p.id}/answer`, { token: bob, body: { action: 'dismiss', note: 'found them' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ prompt: { status: 'dismissed' }, claim: { id: 'b-lost', status: 'dismissed' } });
  });

  it('serves an evidence file back as uploaded, to its owner only', async () => {
    const bytes = `invoice number,seller-sku,quantity,unit cost\nINV-77,SKU-77,2,3.10\n`;
    const up = await upload(alice, [{ name: 'inv 77 (copy).csv', type: 'text/csv', bytes }], { kind: 'invoice' });
    expect(up.status).toBe(201);
    const id = up.body.files[0].id as string;
    const own = await fetch(`${t.url}/api/v1/evidence/${id}/content`, { headers: { authorization: `Bearer ${alice}` } });
    expect(own.status).toBe(200);
    expect(await own.text()).toBe(bytes);
    expect(own.headers.get('content-disposition')).toBe('attachment; filename="inv 77 _copy_.csv"');
    expect(own.headers.get('x-content-sha256')).toBe(up.body.files[0].sha256);
    expect(own.headers.get('x-content-type-options')).toBe('nosniff');
    expect(own.headers.get('cache-control')).toBe('private, no-store');
    expect((await fetch(`${t.url}/api/v1/evidence/${id}/content`, { headers: { authorization: `Bearer ${bob}` } })).status).toBe(404);
    expect((await fetch(`${t.url}/api/v1/evidence/${id}/content`)).status).toBe(401);
    expect((await fetch(`${t.url}/api/v1/evidence/${id}/content`, { headers: { authorization: `Bearer ${t.serviceToken}` } })).status).toBe(200);
  });

  it('keeps sellers apart: no seeing, answering or linking what is not yours', async () => {
    const aliceFile = (await t.request('/api/v1/evidence', { token: alice })).body.files[0].id;
    expect((await t.request(`/api/v1/evidence/${aliceFile}`, { token: bob })).status).toBe(404);
    expect((await t.request('/api/v1/evidence', { token: bob })).body.files).toEqual([]);
    expect((await t.request('/api/v1/evidence?user_id=alice', { token: bob })).status).toBe(403);
    expect((await t.request('/api/v1/prompts?user_id=alice', { token: bob })).status).toBe(403);
    expect((await t.request('/api/v1/prompts?user_id=', { token: bob })).status).toBe(400);
    expect((await t.request('/api/v1/evidence')).status).toBe(400); // the service must name the seller

    // Bob gets a prompt of his own, and tries to link Alice's file to it.
    await t.clario.database.db.insert(claims).values(claim('bob', 'b-damaged', { type: 'damaged_warehouse', sku: 'SKU-2', quantity: 10, amount: 5000 }));
    const run = await t.request('/api/v1/workflow/phase/4', { body: { user_id: 'bob', sync_id: 'bob-run', rerun: 2 } });
    await waitFor(async () => (await t.clario.engine.findEvent(run.body.event_id))?.status === 'completed', 'bob phase 4');
    const [bobPrompt] = (await t.request('/api/v1/prompts?status=open', { token: bob })).body.prompts;
    expect(bobPrompt.claim_id).toBe('b-damaged');
    const steal = await t.request(`/api/v1/prompts/${bobPrompt.id}/answer`, { token: bob, body: { action: 'upload', file_ids: [aliceFile] } });
    expect(steal.status).toBe(404);
    expect(await statusOf('b-damaged')).toBe('prompted');
    // Alice's matching invoice did not leak into Bob's claim either.
    const [links] = await rows<{ n: number }>(t.clario.database.db, sql`SELECT count(*)::int AS n FROM claim_evidence WHERE user_id = 'bob'`);
    expect(links?.n).toBe(0);
    // Nor can Alice answer Bob's prompt.
    expect((await t.request(`/api/v1/prompts/${bobPrompt.id}/answer`, { token: alice, body: { action: 'dismiss' } })).status).toBe(404);
    // The service answers for whoever owns the prompt, and uploads for a named seller only.
    expect((await upload(t.serviceToken, [{ name: 'x.csv', type: 'text/csv', bytes: 'sku,qty\nSKU-9,1\n' }])).status).toBe(400);
    const forBob = await upload(t.serviceToken, [{ name: 'x.csv', type: 'text/csv', bytes: 'sku,qty\nSKU-9,1\n' }], { user_id: 'bob' });
    expect(forBob.status).toBe(201);
    expect((await t.request('/api/v1/evidence?user_id=bob')).body.files.map((f: any) => f.id)).toEqual([forBob.body.files[0].id]);
    expect((await upload(alice, [{ name: 'x.csv', type: 'text/csv', bytes: 'sku,qty\nSKU-9,1\n' }], { user_id: 'bob' })).status).toBe(403);
    expect((await upload(null, [{ name: 'x.csv', type: 'text/csv', bytes: 'sku,qty\nSKU-9,1\n' }])).status).toBe(401);
  });

  it('a confirmation raises the score and the next prompt asks only for what is still missing', async () => {
    const [p] = (await t.request('/api/v1/prompts?status=open', { token: bob })).body.prompts;
    expect(p.claim_id).toBe('b-damaged');
    const r = await t.request(`/api/v1/prompts/${p.id}/answer`, { token: bob, body: { action: 'confirm' } });
    expect(r.status).toBe(200);
    expect(r.body.claim).toMatchObject({ id: 'b-damaged', status: 'prompted', confidence: 0.65 });
    expect(r.body.claim.score.reasons).toContain('you confirmed the claim');
    const [next] = (await t.request('/api/v1/prompts?status=open', { token: bob })).body.prompts;
    expect(next.id).not.toBe(p.id);
    expect(next.asks.map((a: any) => a.need)).toEqual(['upload_invoice', 'dismiss']);
  });

  it('refuses files too large (413) and of the wrong type (415), storing nothing of such an upload', async () => {
    const big = `sku,qty\n${'SKU-1,1\n'.repeat(MAX_BYTES / 8 + 10)}`;
    const tooBig = await upload(alice, [{ name: 'big.csv', type: 'text/csv', bytes: big }]);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.code).toBe('payload_too_large');
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    const before = (await t.request('/api/v1/evidence', { token: alice })).body.files.length;
    const wrong = await upload(alice, [
      { name: 'ok.csv', type: 'text/csv', bytes: 'sku,qty\nSKU-7,1\n' },
      { name: 'photo.csv', type: 'text/csv', bytes: png },
    ]);
    expect(wrong.status).toBe(415);
    expect(wrong.body.error.code).toBe('unsupported_media_type');
    expect((await upload(alice, [{ name: 'fake.pdf', type: 'application/pdf', bytes: 'sku,qty\nA,1\n' }])).status).toBe(415);
    expect((await t.request('/api/v1/evidence', { token: alice })).body.files.length).toBe(before);
    const json = await t.request('/api/v1/evidence', { token: alice, body: { file: 'x' } });
    expect(json.status).toBe(415);
    // A body the multipart parser cannot frame is the caller's mistake, not a 500.
    const cut = await t.request('/api/v1/evidence', { token: alice, body: '--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nsku,qty', headers: { 'content-type': 'multipart/form-data; boundary=x' } });
    expect(cut.status).toBe(400);
    expect(cut.body.error.code).toBe('invalid_request');
    expect((await t.request('/api/v1/evidence', { token: alice })).body.files.length).toBe(before);
  });

  it('lists open prompts nearest deadline first, the larger claim first at the same deadline', async () => {
    const db = t.clario.database.db;
    const row = (id: string, deadline: string | null, amount: number) => ({ ...claim('carol', id, { type: 'lost_warehouse', sku: id, quantity: 1, amount }), status: 'prompted' as const, deadline });
    // Opened in an order unlike the one the seller needs (newest first would be none, late, soon-big…).
    await db.insert(claims).values([row('c-none', null, 90_000), row('c-late', '2027-03-01', 500), row('c-soon-small', '2027-01-10', 100), row('c-soon-big', '2027-01-10', 9_000), row('c-soonest', '2027-01-02', 100)]);
    for (const id of ['c-soonest', 'c-soon-small', 'c-soon-big', 'c-late', 'c-none']) await openPrompt(db, { userId: 'carol', claimId: id, asks: [{ need: 'confirm', message: 'Confirm it.' }] });
    const listed = (await t.request('/api/v1/prompts?status=open&user_id=carol')).body.prompts.map((p: any) => p.claim_id);
    expect(listed).toEqual(['c-soonest', 'c-soon-big', 'c-soon-small', 'c-late', 'c-none']);
  });

  it('answering a prompt that was replaced is a 409 naming the prompt that replaced it and what it asks', async () => {
    const db = t.clario.database.db;
    await db.insert(syncRuns).values({ id: 'dana-run', userId: 'dana' });
    await db.insert(claims).values({ ...claim('dana', 'd-lost', { type: 'lost_warehouse', sku: 'D-1', quantity: 2, amount: 2_000 }), status: 'prompted' as const });
    const old = await openPrompt(db, { userId: 'dana', claimId: 'd-lost', asks: [{ need: 'confirm', message: 'Confirm the 2 units.' }] });
    const now = await openPrompt(db, { userId: 'dana', claimId: 'd-lost', asks: [{ need: 'upload_invoice', message: 'Upload the supplier invoice.' }] });
    const late = await t.request(`/api/v1/prompts/${old}/answer`, { body: { action: 'confirm' } });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toBe(`prompt ${old} was replaced by prompt ${now}; answer that one: Upload the supplier invoice.`);
    // Once the new one is answered, the old one says the claim has none open.
    expect((await t.request(`/api/v1/prompts/${now}/answer`, { body: { action: 'dismiss' } })).status).toBe(200);
    const later = await t.request(`/api/v1/prompts/${old}/answer`, { body: { action: 'confirm' } });
    expect([later.status, later.body.error.message]).toEqual([409, `prompt ${old} was replaced, and claim d-lost has no open prompt now`]);
  });

  it("a fee claim is released by the seller's measurement of its SKU and photos, checked at the edge; the measurement serves the SKU's next fee claim too", async () => {
    const db = t.clario.database.db;
    const prompt = (await t.request('/api/v1/prompts?status=open', { token: alice })).body.prompts.find((p: any) => p.claim_id === 'a-fee');
    const page = (await t.request('/api/v1/claims/a-fee', { token: alice })).body.claim;
    expect(page.details.hold).toMatchObject({ code: 'needs_measurements' });
    expect(page.waiting).toEqual({ on: 'you', why: page.details.hold.reason });

    // Photos: a JPEG or PNG declared as one, kept as a measurement photo; never read as an invoice.
    const png = await photo('png');
    const jpeg = await photo('jpeg');
    const photos = await upload(alice, [{ name: 'on-scale.png', type: 'image/png', bytes: png }, { name: 'ruler.jpg', type: 'image/jpeg', bytes: jpeg }], { kind: 'measurement_photo' });
    expect(photos.status).toBe(201);
    expect(photos.body.files.map((f: any) => [f.kind, f.status, f.content_type])).toEqual([['measurement_photo', 'parsed', 'image/png'], ['measurement_photo', 'parsed', 'image/jpeg']]);
    const photoIds = photos.body.files.map((f: any) => f.id);
    expect((await upload(alice, [{ name: 'x.png', type: 'image/png', bytes: png }], { kind: 'invoice' })).status).toBe(400);
    expect((await upload(alice, [{ name: 'x.csv', type: 'text/csv', bytes: 'sku,qty\nA,1\n' }], { kind: 'measurement_photo' })).status).toBe(400);
    expect((await upload(alice, [{ name: 'x.png', type: 'image/png', bytes: jpeg }])).status).toBe(415);
    // A signature is not a photo: one with no size in it, or too small to read a tape on, is refused.
    const signatureOnly = await upload(alice, [{ name: 'sig.png', type: 'image/png', bytes: png.subarray(0, 16) }], { kind: 'measurement_photo' });
    expect([signatureOnly.status, signatureOnly.body.error.message]).toEqual([415, 'sig.png is not a whole PNG image (its size cannot be read): not accepted']);
    const tiny = await upload(alice, [{ name: 'tiny.jpg', type: 'image/jpeg', bytes: await photo('jpeg', 8) }], { kind: 'measurement_photo' });
    expect([tiny.status, tiny.body.error.message]).toEqual([415, 'tiny.jpg is 67×94 pixels: a measurement photo needs at least 100 pixels on each side to be read']);

    const good = { length: 30, width: 20, height: 15.5, dimension_unit: 'cm', weight: 2.5, weight_unit: 'lb' };
    const answer = (body: unknown, token = alice) => t.request(`/api/v1/prompts/${prompt.id}/answer`, { token, body });
    const refused = [
      { action: 'measure', file_ids: photoIds },
      { action: 'measure', measurements: good },
      { action: 'measure', measurements: { ...good, length: -3 }, file_ids: photoIds },
      { action: 'measure', measurements: { ...good, width: 0.001 }, file_ids: photoIds },
      { action: 'measure', measurements: { ...good, height: 1.2345 }, file_ids: photoIds },
      { action: 'measure', measurements: { ...good, weight: 900, weight_unit: 'kg' }, file_ids: photoIds },
      { action: 'measure', measurements: { ...good, dimension_unit: 'furlong' }, file_ids: photoIds },
      { action: 'measure', measurements: { ...good, length: '30' }, file_ids: photoIds },
      { action: 'measure', measurements: { ...good, extra: 1 }, file_ids: photoIds },
      { action: 'confirm', measurements: good },
    ];
    for (const body of refused) {
      const r = await answer(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('invalid_request');
    }
    expect(JSON.stringify((await answer({ action: 'measure', measurements: { ...good, width: 0.001 }, file_ids: photoIds })).body)).toContain('too small');
    // An invoice is not a measurement photo; Bob cannot answer, nor use Alice's photos.
    const invoice = (await t.request('/api/v1/evidence', { token: alice })).body.files.find((f: any) => f.kind === 'invoice').id;
    expect((await answer({ action: 'measure', measurements: good, file_ids: [invoice] })).status).toBe(400);
    expect((await answer({ action: 'measure', measurements: good, file_ids: photoIds }, bob)).status).toBe(404);
    expect(await statusOf('a-fee')).toBe('prompted');

    const ok = await answer({ action: 'measure', measurements: good, file_ids: photoIds, note: 'measured boxed' });
    expect(ok.status).toBe(200);
    expect(ok.body.prompt).toMatchObject({ status: 'answered', answer: { action: 'measure', file_ids: photoIds, measurements: { length_mm: 300, width_mm: 200, height_mm: 155, weight_g: 1134 } } });
    expect(ok.body.claim).toMatchObject({ id: 'a-fee', status: 'ready' });
    const after = (await t.request('/api/v1/claims/a-fee', { token: alice })).body.claim;
    expect(after.details.hold).toBeUndefined();
    expect(after.details.measurements).toEqual({ length_mm: 300, width_mm: 200, height_mm: 155, weight_g: 1134, measured_at: expect.any(String) });
    const [kept] = await rows<any>(db, sql`SELECT length_mm, width_mm, height_mm, weight_g, photo_file_ids FROM sku_measurements WHERE user_id = 'alice' AND sku = 'SKU-F'`);
    expect(kept).toEqual({ length_mm: 300, width_mm: 200, height_mm: 155, weight_g: 1134, photo_file_ids: photoIds });
    const [links] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM claim_evidence WHERE claim_id = 'a-fee' AND role = 'measurement_photo'`);
    expect(links?.n).toBe(2);
    const [answered] = await rows<{ payload: any }>(db, sql`SELECT payload FROM outbox WHERE type = 'prompt.answered' AND payload->>'prompt_id' = ${prompt.id}`);
    expect(answered?.payload.action).toBe('measure');
    expect(EVENT_CATALOGUE.find((e) => e.type === 'prompt.answered')?.schema.safeParse(answered?.payload).success).toBe(true);
    expect((await answer({ action: 'measure', measurements: good, file_ids: photoIds })).status).toBe(409);

    // Another fee charge of the same SKU: its own claim, filed on the measurement already given.
    await db.insert(claims).values({ ...claim('alice', 'a-fee-2', { type: 'fee_overcharge', sku: 'SKU-F', quantity: 2, amount: 140, key: { sku: 'SKU-F' } }), currency: 'CAD' });
    const run = await t.request('/api/v1/workflow/phase/4', { body: { user_id: 'alice', sync_id: 'alice-run', rerun: 3 } });
    await waitFor(async () => (await t.clario.engine.findEvent(run.body.event_id))?.status === 'completed', 'phase 4 for the second fee claim');
    expect(await statusOf('a-fee-2')).toBe('ready');
    expect((await t.request('/api/v1/claims/a-fee-2', { token: alice })).body.claim.details.measurements).toMatchObject({ length_mm: 300, weight_g: 1134 });
  });
});
}
