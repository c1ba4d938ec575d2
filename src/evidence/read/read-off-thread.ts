// Reading evidence off the event loop: each file is read by a worker thread of its own, bounded in
// time and memory, so a hostile file (a PDF of 20,000 text items, a CSV that parses for ever)
// costs one thread that is stopped, never the service's answers to everyone else.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Currency } from '../../domain/money.js';
import type { ReadResult } from './items.js';
import { unreadable, UnsupportedFileError, type EvidenceContentType } from './read-evidence.js';
import type { PdfLimits } from './read-pdf.js';
import type { ReadTask, WorkerMessage } from './read-task.js';

export interface ReadLimits {
  /** A read still running after this long is stopped; the file is unreadable. */
  readonly timeoutMs: number;
  /** The worker's heap; a file needing more is unreadable. */
  readonly maxMemoryMb: number;
  /** Files read at once; the others wait their turn. */
  readonly concurrency: number;
  readonly pdf: PdfLimits;
}

export interface ReadHooks {
  /** Test only: shared latch the worker waits on before it reads (see read-worker.ts). */
  readonly gate?: SharedArrayBuffer;
  /** Called with the worker's thread id once it has started. */
  readonly onStarted?: (threadId: number) => void;
}

export interface EvidenceReader {
  /** What the file is; throws UnsupportedFileError when it is none of the accepted types. */
  check(f: { path: string; filename: string; declaredType: string }): Promise<EvidenceContentType>;
  /** Its line items; a file over a bound (time, memory, pages, text) reads as unreadable with the reason. */
  read(f: { path: string; contentType: EvidenceContentType }, defaultCurrency: Currency): Promise<ReadResult>;
}

// From src/ (tsx, vitest) the worker is TypeScript: Node cannot start it as it is, and
// `execArgv: ['--import', 'tsx']` does not reach workers, so a one-line bootstrap registers tsx's
// loader in the worker first. From dist/ the worker is plain JavaScript.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const ENTRY = new URL(`./read-worker.${FROM_SOURCE ? 'ts' : 'js'}`, import.meta.url);

function spawn(task: ReadTask, maxMemoryMb: number): Worker {
  const options = { workerData: task, resourceLimits: { maxOldGenerationSizeMb: maxMemoryMb, maxYoungGenerationSizeMb: Math.min(64, maxMemoryMb) } };
  if (!FROM_SOURCE) return new Worker(ENTRY, options);
  const tsxApi = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  return new Worker(`import(${JSON.stringify(tsxApi)}).then((m) => m.register()).then(() => import(${JSON.stringify(ENTRY.href)}))`, { ...options, eval: true });
}

type Outcome = Exclude<WorkerMessage, { kind: 'started' }> | { kind: 'timeout' } | { kind: 'out_of_memory' };

/** A tiny counting semaphore: at most `n` workers at once. */
function limiter(n: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await work();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

export function offThreadReader(limits: ReadLimits, hooks: ReadHooks = {}): EvidenceReader {
  const turn = limiter(limits.concurrency);

  function run(task: ReadTask): Promise<Outcome> {
    return turn(
      () =>
        new Promise<Outcome>((resolve, reject) => {
          const worker = spawn(hooks.gate ? { ...task, gate: hooks.gate } : task, limits.maxMemoryMb);
          let settled = false;
          const finish = (outcome: Outcome | Error) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            // The worker's answer is in; it ends itself, but a stopped one must be ended here.
            void worker.terminate();
            if (outcome instanceof Error) reject(outcome);
            else resolve(outcome);
          };
          const timer = setTimeout(() => finish({ kind: 'timeout' }), limits.timeoutMs);
          worker.on('message', (m: WorkerMessage) => {
            if (m.kind === 'started') hooks.onStarted?.(m.threadId);
            else finish(m);
          });
          worker.on('error', (err: Error & { code?: string }) => finish(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? { kind: 'out_of_memory' } : err));
          worker.on('exit', (code) => finish(new Error(`the evidence reader stopped (exit code ${code}) before it answered`)));
        }),
    );
  }

  const seconds = `${Math.round(limits.timeoutMs / 100) / 10} s`;
  return {
    async check(f) {
      const o = await run({ op: 'check', path: f.path, filename: f.filename, declaredType: f.declaredType });
      switch (o.kind) {
        case 'checked':
          return o.contentType;
        case 'unsupported':
          throw new UnsupportedFileError(o.message);
        case 'timeout':
          throw new UnsupportedFileError(`${f.filename} could not be checked within ${seconds}; send text/csv or application/pdf`);
        case 'out_of_memory':
          throw new UnsupportedFileError(`${f.filename} needs more than ${limits.maxMemoryMb} MB to check; send text/csv or application/pdf`);
        case 'failed':
        case 'read':
          throw new Error(`the evidence reader failed to check ${f.filename}: ${o.kind === 'failed' ? o.message : 'it answered a read'}`);
      }
    },
    async read(f, defaultCurrency) {
      const o = await run({ op: 'read', path: f.path, contentType: f.contentType, defaultCurrency, pdf: limits.pdf });
      switch (o.kind) {
        case 'read':
          return o.result;
        case 'timeout':
          return unreadable(`reading the file took longer than ${seconds}; it was stopped: upload the invoice as CSV, or a simpler PDF`);
        case 'out_of_memory':
          return unreadable(`reading the file needs more than ${limits.maxMemoryMb} MB; it was stopped: upload the invoice as CSV, or a simpler PDF`);
        case 'failed':
        case 'checked':
        case 'unsupported':
          throw new Error(`the evidence reader failed: ${o.kind === 'failed' ? o.message : `it answered ${o.kind}`}`);
      }
    },
  };
}
