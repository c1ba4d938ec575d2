import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Diagnostic, SourceRef } from '../types.js';
import { RowError } from './fields.js';
import { streamJsonLists } from './json-stream.js';
import type { InputFile } from './lines.js';
import type { ReadHooks } from './table.js';

/** The file's text in chunks, decompressed when gzipped. */
async function* textChunks(file: InputFile, onBytes?: (n: number) => void): AsyncGenerator<string> {
  const raw = createReadStream(file.path, { highWaterMark: 1 << 18 });
  if (onBytes) raw.on('data', (chunk) => onBytes(chunk.length));
  const gunzip = file.gzip ? createGunzip() : undefined;
  if (gunzip) raw.on('error', (err) => gunzip.destroy(err));
  const stream = gunzip ? raw.pipe(gunzip) : raw;
  stream.setEncoding('utf8'); // decodes characters split across chunks correctly
  try {
    for await (const chunk of stream) yield chunk as string;
  } finally {
    raw.destroy();
    gunzip?.destroy();
  }
}

/**
 * Streams the elements of a JSON file's wanted lists as rows: `toRow` builds one from an element
 * (throwing RowError for an element it cannot read, which is reported with its line and skipped).
 */
export async function* readJsonRows<R>(
  file: InputFile,
  lists: Readonly<Record<string, readonly string[]>>,
  toRow: (list: string, value: unknown, source: SourceRef) => R | undefined,
  hooks: ReadHooks,
): AsyncGenerator<R> {
  const { stats, onDiagnostic } = hooks;
  const report = (line: number, message: string): void => {
    stats.skipped++;
    onDiagnostic({ file: file.name, line, message: `${message}; skipped` } satisfies Diagnostic);
  };
  for await (const batch of streamJsonLists(textChunks(file, hooks.onBytes), lists, report)) {
    for (const item of batch) {
      let row: R | undefined;
      try {
        row = toRow(item.list, item.value, { file: file.name, line: item.line });
      } catch (err) {
        if (!(err instanceof RowError)) throw err;
        report(item.line, err.message);
        continue;
      }
      if (row === undefined) continue;
      stats.rows++;
      yield row;
    }
  }
}
