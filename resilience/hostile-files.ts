// The file attacks that once stopped the whole service (issue 14): a 61 KB PDF of 20,000 text
// items, an upload larger than the request limit (declared and chunked), a gzip bomb sent as a
// costs file, and a gzip bomb of one endless line given to detection. None may answer 5xx, crash
// anything, or keep the service from answering meanwhile.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { createGzip, gzipSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import { detect, InputFileError, InputFolderError } from '../src/detection/index.js';

const MiB = 1024 * 1024;
/** The scenario's request limit: small, so the oversized uploads stay cheap to send. */
export const HOSTILE_MAX_REQUEST_BYTES = 4 * MiB;

function hostilePdf(items: number): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 0 });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.fontSize(1);
  for (let i = 0; i < items; i++) doc.text(String(i % 10), 20 + (i % 500), 400, { lineBreak: false });
  doc.end();
  return done;
}

function* endlessLine(mib: number): Generator<Buffer> {
  const chunk = Buffer.alloc(MiB, 0x61);
  for (let i = 0; i < mib; i++) yield chunk;
}

export interface HostileFigures {
  readonly pdf_upload_status: number;
  readonly pdf_file_status: string | undefined;
  readonly health_checks_while_reading: number;
  readonly oversized_declared_status: number;
  readonly oversized_chunked_status: number | 'closed';
  readonly costs_gzip_bomb_status: number;
  readonly detect_gzip_bomb: string;
}

export async function hostileFiles(url: string, service: string, alive: () => Promise<boolean>, sellerFiles: string): Promise<{ figures: HostileFigures; violations: string[] }> {
  const violations: string[] = [];
  const auth = { authorization: `Bearer ${service}` };
  const form = (files: Array<{ name: string; type: string; bytes: Uint8Array | string }>) => {
    const f = new FormData();
    f.append('user_id', 'alice');
    for (const x of files) f.append('file', new Blob([x.bytes], { type: x.type }), x.name);
    return f;
  };

  // 1. The PDF: the service keeps answering while it is read.
  let reading = true;
  const upload = fetch(`${url}/api/v1/evidence`, { method: 'POST', headers: auth, body: form([{ name: 'hostile.pdf', type: 'application/pdf', bytes: await hostilePdf(20_000) }]) })
    .then(async (r) => ({ status: r.status, body: (await r.json()) as { files?: Array<{ status: string }> } }))
    .finally(() => (reading = false));
  let answered = 0;
  while (reading) {
    if (await alive()) answered++;
    else violations.push('the service stopped answering while the hostile PDF was read');
    await sleep(50);
  }
  const pdf = await upload;
  if (pdf.status >= 500 || pdf.status !== 201) violations.push(`the hostile PDF upload answered ${pdf.status}`);

  // 2. Over the request limit: declared in Content-Length, then chunked without one.
  const big = 'sku,qty\n' + 'SKU-1,1\n'.repeat(Math.ceil((HOSTILE_MAX_REQUEST_BYTES + MiB) / 8));
  const declared = await fetch(`${url}/api/v1/evidence`, { method: 'POST', headers: auth, body: form([{ name: 'big.csv', type: 'text/csv', bytes: big }]) });
  await declared.arrayBuffer();
  if (declared.status !== 413) violations.push(`an upload declaring more than the request limit answered ${declared.status}, not 413`);
  const half = 'sku,qty\n' + 'SKU-2,1\n'.repeat(Math.ceil(HOSTILE_MAX_REQUEST_BYTES / 2 / 8));
  const encoded = new Response(form([0, 1, 2].map((i) => ({ name: `part-${i}.csv`, type: 'text/csv', bytes: half }))));
  const chunked = await fetch(`${url}/api/v1/evidence`, { method: 'POST', headers: { ...auth, 'content-type': encoded.headers.get('content-type') ?? '' }, body: encoded.body, duplex: 'half' }).then(
    async (r) => (await r.arrayBuffer(), r.status),
    // The server closes an oversized upload's connection: the client may see that first.
    () => 'closed' as const,
  );
  if (chunked !== 413 && chunked !== 'closed') violations.push(`a chunked upload past the request limit answered ${chunked}, not 413`);

  // 3. A gzip bomb as a costs file: whatever Clario makes of the bytes, never a 5xx.
  const bomb = gzipSync(Buffer.concat([Buffer.from('sku,unit_cost,currency\n'), Buffer.alloc(64 * MiB, 0x61)]));
  const costs = await fetch(`${url}/api/v1/sellers/alice/costs`, { method: 'PUT', headers: { ...auth, 'content-type': 'text/csv', 'content-encoding': 'gzip' }, body: bomb });
  await costs.arrayBuffer();
  if (costs.status >= 500) violations.push(`a gzip bomb sent as costs.csv answered ${costs.status}`);
  if (!(await alive())) violations.push('the service stopped answering after the hostile uploads');

  // 4. Detection given a gzip of one 64 MiB line as its ledger: an input error or a skipped row, never a crash.
  const dir = mkdtempSync(join(tmpdir(), 'clario-bomb-'));
  let outcome: string;
  try {
    cpSync(sellerFiles, dir, { recursive: true });
    rmSync(join(dir, 'GET_LEDGER_DETAIL_VIEW_DATA.tsv'), { force: true });
    await pipeline(Readable.from(endlessLine(64)), createGzip(), createWriteStream(join(dir, 'GET_LEDGER_DETAIL_VIEW_DATA.tsv.gz')));
    const r = await detect(dir, { asOf: '2026-11-22' });
    outcome = `read: ${r.summary.files.find((f) => f.file.startsWith('GET_LEDGER'))?.unusable ?? 'ledger used'}`;
  } catch (err) {
    if (err instanceof InputFileError || err instanceof InputFolderError) outcome = `input error: ${err.message.slice(0, 120)}`;
    else {
      outcome = `crash: ${String(err).slice(0, 200)}`;
      violations.push(`detection crashed on a gzip bomb: ${outcome}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  return {
    figures: {
      pdf_upload_status: pdf.status,
      pdf_file_status: pdf.body.files?.[0]?.status,
      health_checks_while_reading: answered,
      oversized_declared_status: declared.status,
      oversized_chunked_status: chunked,
      costs_gzip_bomb_status: costs.status,
      detect_gzip_bomb: outcome,
    },
    violations,
  };
}
