import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { LineSplitter, MAX_LINE_LENGTH, type SplitLine } from '../../domain/split-lines.js';

/** An input file found in the folder. */
export interface InputFile {
  /** The name as found in the folder (e.g. GET_LEDGER_DETAIL_VIEW_DATA.tsv.gz): what sources cite. */
  readonly name: string;
  readonly path: string;
  readonly gzip: boolean;
  /** Bytes on disk (compressed size for .gz), for progress. */
  readonly size: number;
}

/**
 * What one file may cost, whatever its bytes: a line over `maxLineLength` characters is an
 * unreadable row (reported and skipped, never built), and a .gz inflating beyond
 * `maxDecompressedBytes` breaks the file (a gzip bomb).
 */
export interface ReadLimits {
  readonly maxLineLength: number;
  readonly maxDecompressedBytes: number;
}

/** Years of a large seller's ledger inflate to a few GiB; a bomb to whatever it likes. */
export const READ_LIMITS: ReadLimits = { maxLineLength: MAX_LINE_LENGTH, maxDecompressedBytes: 16 * 1024 ** 3 };

export interface OpenLines {
  /**
   * The file's lines in batches (one per chunk read), decompressed when it is gzipped; a line
   * over the bound is a TooLongLine marker. Iterate once; read errors are thrown from the loop.
   */
  readonly lines: AsyncIterable<SplitLine[]>;
  readonly close: () => void;
}

/**
 * Opens a file as a stream of lines: never the whole file, nor a whole over-long line, in memory.
 * `onBytes` reports bytes read from disk. Lines come in batches: on a ledger of millions of rows
 * an async step per line costs a visible share of the time.
 */
export function openLines(file: InputFile, onBytes?: (bytes: number) => void, limits: ReadLimits = READ_LIMITS): OpenLines {
  const raw = createReadStream(file.path, { highWaterMark: 1 << 18 });
  if (onBytes) raw.on('data', (chunk) => onBytes(chunk.length));
  const gunzip = file.gzip ? createGunzip() : undefined;
  // pipe() does not forward errors: without this a failed read would leave gunzip waiting for ever.
  if (gunzip) raw.on('error', (err) => gunzip.destroy(err));
  const input: Readable = gunzip ? raw.pipe(gunzip) : raw;
  return {
    lines: splitStream(input, file.gzip, limits),
    close: () => {
      raw.destroy();
      gunzip?.destroy();
    },
  };
}

async function* splitStream(input: AsyncIterable<Buffer>, gzip: boolean, limits: ReadLimits): AsyncGenerator<SplitLine[]> {
  const decoder = new TextDecoder('utf-8');
  const splitter = new LineSplitter(limits.maxLineLength);
  let inflated = 0;
  for await (const chunk of input) {
    if (gzip && (inflated += chunk.length) > limits.maxDecompressedBytes) {
      throw new Error(`decompresses to more than ${limits.maxDecompressedBytes} bytes (a gzip bomb?); file not read further`);
    }
    const out: SplitLine[] = [];
    splitter.push(decoder.decode(chunk, { stream: true }), out);
    if (out.length > 0) yield out;
  }
  const out: SplitLine[] = [];
  splitter.push(decoder.decode(), out);
  splitter.end(out);
  if (out.length > 0) yield out;
}

/** Splits one CSV line, honouring double quotes ("a,b" and "" inside quotes). */
export function splitCsv(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}
