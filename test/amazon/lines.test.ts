import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { streamLines, UnreadableReportError } from '../../src/amazon/report-lines.js';

/** A gzip stream of `head`, then `mib` MiB of 'a' without a newline, then `tail`: made as it is read, never on disk. */
function gzipBomb(head: string, mib: number, tail: string): Readable {
  const chunk = Buffer.alloc(1024 * 1024, 0x61);
  function* text() {
    yield Buffer.from(head);
    for (let i = 0; i < mib; i++) yield chunk;
    yield Buffer.from(tail);
  }
  return Readable.from(text()).pipe(createGzip());
}

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const l of lines) out.push(l);
  return out;
}

describe('report lines', () => {
  it('refuses a report line longer than the bound with an error that parks the sync, without building the line', async () => {
    const seen: string[] = [];
    const err = await (async () => {
      for await (const l of streamLines(gzipBomb('sku\tqty\nA\t1\n', 64, '\nB\t2\n'), { gzip: true })) seen.push(l);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['sku\tqty', 'A\t1']);
    expect(err).toBeInstanceOf(UnreadableReportError);
    expect(err).toMatchObject({ code: 'report_unreadable', message: expect.stringContaining("line 3 is longer than 1048576 characters") as unknown });
  });

  it('refuses a gzip that inflates beyond its bound', async () => {
    const err = await collect(streamLines(gzipBomb('sku\n', 8, '\n'), { gzip: true, maxDecompressedBytes: 4 * 1024 * 1024 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreadableReportError);
    expect((err as Error).message).toContain('inflates to more than 4194304 bytes');
  });

  it('still reads ordinary reports line by line', async () => {
    expect(await collect(streamLines(Readable.from([Buffer.from('a\r\nb'), Buffer.from('c\n')]), { gzip: false }))).toEqual(['a', 'bc']);
  });
});
