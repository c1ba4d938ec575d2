/**
 * `clario detect DIR --as-of YYYY-MM-DD [--format jsonl|table]`: claims on stdout, diagnostics,
 * progress and the summary on stderr, so that stdout can be piped into another tool untouched.
 */
import { parseArgs } from 'node:util';
import { DETECT_DETAILS, DETECT_OPTIONS } from './detect-options.js';
import { argsErrorLine } from './parse.js';
import {
  claimToJsonLine,
  detect,
  formatClaimsTable,
  formatDiagnostic,
  formatSummary,
  InputFileError,
  InputFolderError,
  parseIsoDay,
  type Claim,
  type DetectProgress,
  type Diagnostic,
  type ReadLimits,
} from '../detection/index.js';

export interface DetectIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Whether stderr is a terminal: only then is a progress line drawn. */
  readonly isTTY: boolean;
}

const USAGE = `usage: clario detect DIR --as-of YYYY-MM-DD [--format jsonl|table]

${DETECT_DETAILS}
`;

/** Diagnostics printed per run; the rest are only counted, so a broken file cannot flood the terminal. */
const MAX_PRINTED_DIAGNOSTICS = 200;
const PROGRESS_INTERVAL_MS = 150;

type Format = 'jsonl' | 'table';
interface Args {
  readonly dir: string;
  readonly asOf: string;
  readonly format: Format;
}

/** Parses the arguments after `detect`; returns an error message for a bad command line. */
export function parseDetectArgs(argv: readonly string[]): Args | { help: true } | { error: string } {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { ...DETECT_OPTIONS, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true });
  } catch (err) {
    return { error: argsErrorLine(err) };
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  const asOf = values['as-of'];
  const format = values.format;
  if (positionals.length !== 1) return { error: positionals.length === 0 ? 'the folder DIR is missing' : `one folder expected, got ${positionals.length}` };
  if (asOf === undefined || asOf === '') return { error: '--as-of YYYY-MM-DD is required' };
  if (parseIsoDay(asOf) === undefined) return { error: `--as-of must be a real date written YYYY-MM-DD, got ${JSON.stringify(asOf)}` };
  if (format !== 'jsonl' && format !== 'table') return { error: `--format must be jsonl or table, got ${JSON.stringify(format)}` };
  return { dir: positionals[0] ?? '', asOf, format };
}

/** Writes and waits for the stream to drain when it asks to, so a huge output does not pile up in memory. */
function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // Settles once: on the write's callback error, or when the stream can take more.
    const ok = stream.write(text, (err) => {
      if (err) reject(err);
    });
    if (ok) resolve();
    else stream.once('drain', () => resolve());
  });
}

/** A one-line progress indicator on stderr, redrawn at most every PROGRESS_INTERVAL_MS. */
function progressLine(stderr: NodeJS.WritableStream): { update(p: DetectProgress): void; clear(): void } {
  let shown = false;
  let last = 0;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < PROGRESS_INTERVAL_MS) return;
      last = now;
      const pct = p.totalBytes > 0 ? Math.min(100, Math.floor((p.bytesRead / p.totalBytes) * 100)) : 100;
      const bar = '#'.repeat(Math.floor(pct / 5)).padEnd(20, '.');
      stderr.write(`\r\x1b[K[${bar}] ${String(pct).padStart(3)}%  ${p.file}  ${p.rows.toLocaleString('en-US')} rows`);
      shown = true;
    },
    clear() {
      if (shown) stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}

async function writeClaims(stdout: NodeJS.WritableStream, claims: readonly Claim[], format: Format): Promise<void> {
  if (format === 'table') {
    await write(stdout, formatClaimsTable(claims));
    return;
  }
  // Batch lines into writes of ~64 KiB: one write per claim is slow on a pipe.
  let buffer = '';
  for (const claim of claims) {
    buffer += `${claimToJsonLine(claim)}\n`;
    if (buffer.length >= 65_536) {
      await write(stdout, buffer);
      buffer = '';
    }
  }
  if (buffer) await write(stdout, buffer);
}

/**
 * Runs `clario detect` with the arguments after `detect`. Returns the exit code: 0 on success,
 * 2 on unusable input or a bad command line. Unexpected errors (bugs) are thrown to the caller.
 */
export async function runDetectCommand(argv: string[], io: DetectIo, options: { limits?: ReadLimits } = {}): Promise<number> {
  const args = parseDetectArgs(argv);
  if ('help' in args) {
    await write(io.stdout, USAGE);
    return 0;
  }
  if ('error' in args) {
    await write(io.stderr, `clario detect: ${args.error} (clario detect --help shows usage)\n`);
    return 2;
  }

  const progress = io.isTTY ? progressLine(io.stderr) : undefined;
  let printed = 0;
  const onDiagnostic = (d: Diagnostic): void => {
    if (printed++ >= MAX_PRINTED_DIAGNOSTICS) return;
    progress?.clear();
    io.stderr.write(`${formatDiagnostic(d)}\n`);
  };

  let result;
  try {
    result = await detect(args.dir, { asOf: args.asOf, onDiagnostic, onProgress: progress && ((p) => progress.update(p)), ...(options.limits ? { limits: options.limits } : {}) });
  } catch (err) {
    progress?.clear();
    if (err instanceof InputFolderError || err instanceof InputFileError) {
      // One line, whatever the cause's message holds: a terminal is no place for a stack.
      await write(io.stderr, `clario detect: ${err.message.replace(/\s*\n\s*/g, ' ')}\n`);
      return 2;
    }
    throw err;
  }
  progress?.clear();
  if (printed > MAX_PRINTED_DIAGNOSTICS) {
    await write(io.stderr, `... ${printed - MAX_PRINTED_DIAGNOSTICS} more problems not shown\n`);
  }

  // A reader that stops early (`| head`) closes the pipe: that ends the output, it is no failure.
  // The listener only keeps an 'error' event from crashing the process; the failed write's
  // callback rejects, and anything but EPIPE is rethrown below.
  const ignorePipeErrors = (): void => {};
  io.stdout.on('error', ignorePipeErrors);
  try {
    await writeClaims(io.stdout, result.claims, args.format);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err;
  } finally {
    io.stdout.off('error', ignorePipeErrors);
  }
  await write(io.stderr, formatSummary(result.summary));
  return 0;
}
