import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { matchHeader, type Columns } from './columns.js';
import { isTooLong } from '../../domain/split-lines.js';
import { openLines, READ_LIMITS, splitCsv, type InputFile, type ReadLimits } from './file-lines.js';
import { describeMissing } from './table.js';

/**
 * Checks, before any rule starts, that a table file has a header with the columns detection
 * needs. A file found unusable only halfway would leave the rules with half the facts (a returns
 * report that cannot be read makes every refund look unreturned), so it is refused up front.
 * Returns the reason the file cannot be used, or undefined when it can.
 */
export async function probeTable(file: InputFile, delimiter: '\t' | ',', columns: Columns<string>, limits: ReadLimits = READ_LIMITS): Promise<string | undefined> {
  const { lines, close } = openLines(file, undefined, limits);
  try {
    let lineNo = 0;
    for await (const batch of lines) {
      for (const line of batch) {
        lineNo++;
        if (isTooLong(line)) return `line ${lineNo} is longer than ${limits.maxLineLength} characters, so it is no header`;
        if (line.trim() === '') continue;
        const header = delimiter === ',' ? splitCsv(line) : line.split('\t');
        if (header[0]) header[0] = header[0].replace(/^\uFEFF/, '');
        const match = matchHeader(header, columns);
        return match.ok ? undefined : describeMissing(match.missing);
      }
    }
    return 'the file is empty (no header row)';
  } catch (err) {
    return `cannot be read: ${(err as Error).message}`;
  } finally {
    close();
  }
}

/** Checks that a JSON file starts like JSON. Reads only the first chunk. */
export async function probeJson(file: InputFile): Promise<string | undefined> {
  const raw = createReadStream(file.path, { start: 0, end: 65_535 });
  const gunzip = file.gzip ? createGunzip() : undefined;
  if (gunzip) raw.on('error', (err) => gunzip.destroy(err));
  const stream = gunzip ? raw.pipe(gunzip) : raw;
  stream.setEncoding('utf8');
  try {
    for await (const chunk of stream) {
      const text = (chunk as string).replace(/^\uFEFF/, '').trimStart();
      if (text === '') continue;
      return text.startsWith('{') ? undefined : 'not a JSON object';
    }
    return 'the file is empty';
  } catch (err) {
    // Only the first 64 KiB of a gzip stream were read: "unexpected end" is expected there.
    if ((err as NodeJS.ErrnoException).code === 'Z_BUF_ERROR') return undefined;
    return `cannot be read: ${(err as Error).message}`;
  } finally {
    raw.destroy();
    gunzip?.destroy();
  }
}
