/**
 * A downloaded report as a stream of lines: bytes → (gunzip) → text → lines, one chunk at a
 * time, so a million-row ledger never sits in memory whole.
 */
import { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { createGunzip } from 'node:zlib';
import { NonRetryableError } from '../domain/errors.js';
import { isTooLong, LineSplitter, MAX_LINE_LENGTH, type SplitLine } from '../domain/split-lines.js';

/** A report decompresses to at most this much: Amazon's largest (a ledger of years) are a few GiB. */
export const MAX_DECOMPRESSED_BYTES = 8 * 1024 ** 3;

export interface LineOptions {
  readonly gzip: boolean;
  /** A charset label (Amazon sends some marketplaces' reports in windows-1252); default UTF-8. */
  readonly charset?: string;
  /** Longest line accepted (characters); default MAX_LINE_LENGTH. */
  readonly maxLineLength?: number;
  /** Most bytes a gzipped report may inflate to; default MAX_DECOMPRESSED_BYTES. */
  readonly maxDecompressedBytes?: number;
}

/**
 * The report cannot be read as lines (a line over the bound, a gzip that inflates beyond it):
 * retrying fetches the same bytes, so the phase parks with this message for an operator.
 */
export class UnreadableReportError extends NonRetryableError {
  constructor(message: string) {
    super(message, 'report_unreadable');
  }
}

/** The charset named by a Content-Type header, when there is one. */
export function charsetOf(contentType: string | null): string | undefined {
  const match = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '');
  return match?.[1];
}

function decoderFor(charset: string | undefined): TextDecoder {
  try {
    return new TextDecoder(charset ?? 'utf-8');
  } catch {
    // An unknown label: UTF-8 is Amazon's default and decodes ASCII columns correctly anyway.
    return new TextDecoder('utf-8');
  }
}

/**
 * Splits a byte stream into lines without the line ending (\n or \r\n); no trailing empty line.
 * Throws UnreadableReportError for a line longer than the bound or a gzip inflating beyond its
 * bound: neither is ever held in memory whole.
 */
export async function* streamLines(body: ReadableStream<Uint8Array> | Readable, options: LineOptions): AsyncGenerator<string> {
  const source = body instanceof Readable ? body : Readable.fromWeb(body);
  const gunzip = options.gzip ? createGunzip() : undefined;
  // pipe() does not forward errors, so a failing download must destroy the gunzip stream itself.
  if (gunzip) {
    source.on('error', (err) => gunzip.destroy(err));
    source.pipe(gunzip);
  }
  const maxBytes = options.maxDecompressedBytes ?? MAX_DECOMPRESSED_BYTES;
  const maxLength = options.maxLineLength ?? MAX_LINE_LENGTH;
  const bytes: AsyncIterable<Buffer> = gunzip ?? source;
  const decoder = decoderFor(options.charset);
  const splitter = new LineSplitter(maxLength);
  let lineNo = 0;
  let inflated = 0;
  const out: SplitLine[] = [];
  function* drain(): Generator<string> {
    for (const line of out) {
      lineNo++;
      if (isTooLong(line)) throw new UnreadableReportError(`the report's line ${lineNo} is longer than ${maxLength} characters (${line.length}); it cannot be a report row`);
      yield line;
    }
    out.length = 0;
  }
  try {
    for await (const chunk of bytes) {
      if (gunzip && (inflated += chunk.length) > maxBytes) throw new UnreadableReportError(`the report inflates to more than ${maxBytes} bytes; refusing to read further`);
      splitter.push(decoder.decode(chunk, { stream: true }), out);
      yield* drain();
    }
    splitter.push(decoder.decode(), out);
    splitter.end(out);
    yield* drain();
  } finally {
    // The consumer may stop early (break): release the connection and the inflater.
    gunzip?.destroy();
    source.destroy();
  }
}
