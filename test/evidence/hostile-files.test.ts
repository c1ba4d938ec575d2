// Hostile evidence files must never stop the service: a PDF of 20,000 text items is read in a
// worker thread while the service keeps answering; a file over a reading bound is stored as
// unreadable with the reason; an upload over the request limit is refused (413) and stores nothing.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { threadId as mainThread } from 'node:worker_threads';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { sql } from 'drizzle-orm';
import { currency } from '../../src/domain/money.js';
import { statusOf } from '../../src/evidence/read/items.js';
import { readFile } from '../../src/evidence/read/read-evidence.js';
import { offThreadReader, type ReadLimits } from '../../src/evidence/read/read-off-thread.js';
import { PDF_LIMITS, pdfTextLines, UnreadablePdfError } from '../../src/evidence/read/read-pdf.js';
import { NO_LEARNING } from '../../src/evidence/match-claims.js';
import { evidenceRoutes } from '../../src/evidence/routes.js';
import { handleError } from '../../src/http/errors.js';
import { rows, type Database } from '../../src/store/db.js';
import { openPglite } from '../support/infra.js';
import { hostilePdf } from './support/documents.js';

const USD = currency('USD');
const LIMITS: ReadLimits = { timeoutMs: 120_000, maxMemoryMb: 256, concurrency: 2, pdf: { maxPages: 50, maxTextItems: 50_000 } };

describe('reading a hostile PDF', () => {
  let pdf: Buffer;
  beforeAll(async () => {
    pdf = await hostilePdf(20_000);
  });

  it('reads all 20,000 text items of one page, grouped into their line', async () => {
    const lines = await pdfTextLines(pdf, PDF_LIMITS);
    expect(lines.reduce((n, l) => n + l.length, 0)).toBe(20_000);
    expect(lines).toHaveLength(1);
    const xs = lines[0]!.map((c) => c.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
  });

  it('calls a PDF over the text-item bound unreadable, saying why', async () => {
    await expect(pdfTextLines(pdf, { maxPages: 50, maxTextItems: 5_000 })).rejects.toThrow(UnreadablePdfError);
    const r = await readFile(pdf, 'application/pdf', USD, { maxPages: 50, maxTextItems: 5_000 });
    expect(statusOf(r)).toBe('unreadable');
    expect(r.skipped).toEqual([{ line: 0, reason: expect.stringContaining('more than 5000 pieces of text') as unknown }]);
  });

  it('calls a PDF over the page bound unreadable, saying why', async () => {
    const r = await readFile(pdf, 'application/pdf', USD, { maxPages: 0, maxTextItems: 50_000 });
    expect(r.skipped[0]?.reason).toMatch(/has 1 pages; at most 0 are read/);
  });
});

describe('a read that never finishes', () => {
  it('is stopped at its time bound: a check refuses the file, a read calls it unreadable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clario-stuck-'));
    try {
      writeFileSync(join(dir, 'a.csv'), 'sku,qty\nA,1\n');
      // The latch is never released: the worker cannot finish, whatever the machine's speed.
      const stuck = offThreadReader({ ...LIMITS, timeoutMs: 300 }, { gate: new SharedArrayBuffer(4) });
      await expect(stuck.check({ path: join(dir, 'a.csv'), filename: 'a.csv', declaredType: 'text/csv' })).rejects.toThrow(/could not be checked within 0.3 s/);
      const r = await stuck.read({ path: join(dir, 'a.csv'), contentType: 'text/csv' }, USD);
      expect(statusOf(r)).toBe('unreadable');
      expect(r.skipped[0]?.reason).toMatch(/^reading the file took longer than 0.3 s; it was stopped/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('uploads that would stop the server', () => {
  let database: Database;
  let app: FastifyInstance;
  let url: string;
  // The test's latch: the reading worker waits on it, so the read is provably unfinished while
  // the service answers another request.
  const gate = new SharedArrayBuffer(4);
  const threads: number[] = [];
  let onStarted: (() => void) | undefined;
  const MAX_REQUEST = 1024 * 1024;

  beforeAll(async () => {
    database = await openPglite();
    app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    app.setErrorHandler(handleError);
    app.get('/healthz', () => ({ status: 'ok' }));
    const reader = offThreadReader(LIMITS, {
      gate,
      onStarted: (id) => {
        threads.push(id);
        onStarted?.();
      },
    });
    await evidenceRoutes({
      db: database.db,
      learned: NO_LEARNING,
      thresholds: { autoSubmit: 0.85, smartPrompt: 0.5 },
      maxFileBytes: 512 * 1024,
      maxRequestBytes: MAX_REQUEST,
      defaultCurrency: USD,
      reader,
      afterCommit: () => {},
    })(app, () => ({ kind: 'service' }));
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  }, 60_000);
  afterAll(async () => {
    Atomics.store(new Int32Array(gate), 0, 1);
    Atomics.notify(new Int32Array(gate), 0);
    await app?.close();
    await database?.close();
  });

  const form = (files: Array<{ name: string; type: string; bytes: Uint8Array | string }>, user = 'alice') => {
    const f = new FormData();
    f.append('user_id', user);
    for (const x of files) f.append('file', new Blob([x.bytes], { type: x.type }), x.name);
    return f;
  };
  const files = async (user: string) => (await rows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM evidence_files WHERE user_id = ${user}`))[0]?.n;

  it('reads the hostile PDF in another thread while the service answers other requests', async () => {
    const started = new Promise<void>((resolve) => (onStarted = resolve));
    let settled = false;
    const upload = fetch(`${url}/api/v1/evidence`, { method: 'POST', body: form([{ name: 'hostile.pdf', type: 'application/pdf', bytes: await hostilePdf(20_000) }]) }).then((r) => {
      settled = true;
      return r;
    });
    await started;
    // The read runs in a worker thread, held at the latch: it cannot have finished, yet the
    // service answers.
    expect(threads[0]).not.toBe(mainThread);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(settled).toBe(false);
    Atomics.store(new Int32Array(gate), 0, 1);
    Atomics.notify(new Int32Array(gate), 0);
    const res = await upload;
    expect(res.status).toBe(201);
    const body = (await res.json()) as { files: Array<{ status: string; report: unknown }> };
    expect(body.files).toHaveLength(1);
    expect(threads.every((t) => t !== mainThread)).toBe(true);
  }, 120_000);

  it('refuses an upload whose Content-Length is over the limit with 413, before reading it, and stores nothing', async () => {
    const big = 'sku,qty\n' + 'SKU-1,1\n'.repeat(200_000); // 1.6 MB
    const res = await fetch(`${url}/api/v1/evidence`, { method: 'POST', body: form([{ name: 'big.csv', type: 'text/csv', bytes: big }], 'bob') });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large', message: expect.stringContaining(`larger than ${MAX_REQUEST} bytes`) as unknown } });
    expect(await files('bob')).toBe(0);
  });

  it('refuses a chunked upload (no Content-Length) once it passes the limit, and stores nothing', async () => {
    const part = (n: number) => `sku,qty\n${'SKU-1,1\n'.repeat(n)}`;
    // Three files each under the file limit (512 KiB), together over the request limit (1 MiB).
    const encoded = new Response(form([0, 1, 2].map((i) => ({ name: `f${i}.csv`, type: 'text/csv', bytes: part(50_000) })), 'carol'));
    const init = { method: 'POST', body: encoded.body, duplex: 'half', headers: { 'content-type': encoded.headers.get('content-type') ?? '' } };
    const res = await fetch(`${url}/api/v1/evidence`, init as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(await files('carol')).toBe(0);
  });

  it('keeps a file name without control or direction characters, at most 255 characters (a NUL in one was a 500)', async () => {
    // Different bytes each: a file already kept (the same bytes) is answered as the first one.
    const csv = (n: number) => `sku,qty\nSKU-${n},1\n`;
    const long = `${'a'.repeat(2_000)}.csv`;
    const res = await fetch(`${url}/api/v1/evidence`, {
      method: 'POST',
      body: form([
        { name: 'a\u0000b.csv', type: 'text/csv', bytes: csv(1) },
        { name: 'invoice\u202efdp.exe.csv', type: 'text/csv', bytes: csv(2) },
        { name: long, type: 'text/csv', bytes: csv(3) },
      ], 'erin'),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { files: Array<{ filename: string }> };
    expect(body.files.map((f) => f.filename)).toEqual(['a_b.csv', 'invoice_fdp.exe.csv', `${'a'.repeat(251)}.csv`]);
  });

  it('says which limit an upload with too many fields passed', async () => {
    const f = form([{ name: 'x.csv', type: 'text/csv', bytes: 'sku,qty\nSKU-1,1\n' }], 'frank');
    for (let i = 0; i < 10; i++) f.append(`extra${i}`, 'x');
    const res = await fetch(`${url}/api/v1/evidence`, { method: 'POST', body: f });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large', message: 'at most 10 fields per upload' } });
    expect(await files('frank')).toBe(0);
  });

  it('stores a large upload within the limits, every line item of every file', async () => {
    const part = (i: number) => `sku,qty,unit cost\n${Array.from({ length: 9_000 }, (_, n) => `SKU-${i}-${n},${(n % 9) + 1},1.25`).join('\n')}\n`;
    // A temporary folder of this process's own (os.tmpdir() reads TMPDIR at each call), so other
    // test files' uploads in flight meanwhile are not counted.
    const shared = process.env.TMPDIR;
    process.env.TMPDIR = mkdtempSync(join(tmpdir(), 'clario-hostile-'));
    onTestFinished(() => {
      rmSync(tmpdir(), { recursive: true, force: true });
      if (shared === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = shared;
    });
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith('clario-upload-')).length;
    const res = await fetch(`${url}/api/v1/evidence`, { method: 'POST', body: form([0, 1, 2].map((i) => ({ name: `f${i}.csv`, type: 'text/csv', bytes: part(i) })), 'dave') });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { files: Array<{ status: string; report: { items: number } }> };
    expect(body.files.map((f) => [f.status, f.report.items])).toEqual([['parsed', 9_000], ['parsed', 9_000], ['parsed', 9_000]]);
    const [items] = await rows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM evidence_items WHERE user_id = 'dave'`);
    expect(items?.n).toBe(27_000);
    // The parts went through temporary files, which are gone once the upload is answered.
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('clario-upload-')).length).toBeLessThanOrEqual(before);
  }, 120_000);
});
