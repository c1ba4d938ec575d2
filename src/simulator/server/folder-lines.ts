/**
 * A seller folder's report file as lines (\n or \r\n, no ending kept, no trailing empty line),
 * gunzipped when it is a .gz, one chunk at a time. No bound on a line's length: Amazon serves
 * whatever the folder holds, so a test's over-long line reaches Clario's own bound.
 */
import { createReadStream } from 'node:fs';
import { TextDecoder } from 'node:util';
import { createGunzip } from 'node:zlib';

export async function* fileLines(path: string, gzip: boolean): AsyncGenerator<string> {
  const file = createReadStream(path);
  const gunzip = gzip ? createGunzip() : undefined;
  if (gunzip) {
    // pipe() does not forward a read error: the inflater must fail with it, or the loop hangs.
    file.on('error', (err) => gunzip.destroy(err));
    file.pipe(gunzip);
  }
  const chunks: AsyncIterable<Buffer> = gunzip ?? file;
  const decoder = new TextDecoder('utf-8');
  const withoutCr = (line: string) => (line.endsWith('\r') ? line.slice(0, -1) : line);
  let rest = '';
  try {
    for await (const chunk of chunks) {
      const text = decoder.decode(chunk, { stream: true });
      // Only the new text is searched, so a long line costs its length once, not per chunk.
      if (!text.includes('\n')) {
        rest += text;
        continue;
      }
      const lines = text.split('\n');
      lines[0] = rest + (lines[0] ?? '');
      rest = lines.pop() ?? '';
      for (const line of lines) yield withoutCr(line);
    }
    rest += decoder.decode();
    if (rest !== '') yield withoutCr(rest);
  } finally {
    // The consumer may stop early: close the file and the inflater.
    gunzip?.destroy();
    file.destroy();
  }
}
