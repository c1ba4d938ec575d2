/**
 * A downloaded report as a stream of lines: bytes → (gunzip) → text → lines, one chunk at a
 * time, so a million-row ledger never sits in memory whole.
 */
import { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { createGunzip } from 'node:zlib';

export interface LineOptions {
  readonly gzip: boolean;
  /** A charset label (Amazon sends some marketplaces' reports in windows-1252); default UTF-8. */
  readonly charset?: string;
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

/** Splits a byte stream into lines without the line ending (\n or \r\n); no trailing empty line. */
export async function* streamLines(body: ReadableStream<Uint8Array> | Readable, options: LineOptions): AsyncGenerator<string> {
  const source = body instanceof Readable ? body : Readable.fromWeb(body);
  const gunzip = options.gzip ? createGunzip() : undefined;
  // pipe() does not forward errors, so a failing download must destroy the gunzip stream itself.
  if (gunzip) {
    source.on('error', (err) => gunzip.destroy(err));
    source.pipe(gunzip);
  }
  const bytes: AsyncIterable<Buffer> = gunzip ?? source;
  const decoder = decoderFor(options.charset);
  let rest = '';
  try {
    for await (const chunk of bytes) {
      rest += decoder.decode(chunk, { stream: true });
      let start = 0;
      for (let nl = rest.indexOf('\n', start); nl !== -1; nl = rest.indexOf('\n', start)) {
        yield stripCr(rest.slice(start, nl));
        start = nl + 1;
      }
      rest = rest.slice(start);
    }
    rest += decoder.decode();
    if (rest !== '') yield stripCr(rest);
  } finally {
    // The consumer may stop early (break): release the connection and the inflater.
    gunzip?.destroy();
    source.destroy();
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
