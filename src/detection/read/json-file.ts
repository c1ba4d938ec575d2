import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { SourceRef } from '../types.js';
import { InputFileError } from './errors.js';
import { RowError } from './fields.js';
import { streamJsonLists } from './json-stream.js';
import { READ_LIMITS, type InputFile, type ReadLimits } from './file-lines.js';
import type { ReadHooks } from './table.js';

/** The file's text in chunks, decompressed when gzipped. */
async function* textChunks(file: InputFile, limits: ReadLimits, onBytes?: (n: number) => void): AsyncGenerator<string> {
  const raw = createReadStream(file.path, { highWaterMark: 1 << 18 });
  if (onBytes) raw.on('data', (chunk) => onBytes(chunk.length));
  const gunzip = file.gzip ? createGunzip() : undefined;
  if (gunzip) raw.on('error', (err) => gunzip.destroy(err));
  const stream = gunzip ? raw.pipe(gunzip) : raw;
  const decoder = new TextDecoder('utf-8'); // decodes characters split across chunks correctly
  let inflated = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (gunzip && (inflated += chunk.length) > limits.maxDecompressedBytes) {
        throw new Error(`decompresses to more than ${limits.maxDecompressedBytes} bytes (a gzip bomb?); file not read further`);
      }
      yield decoder.decode(chunk, { stream: true });
    }
    const last = decoder.decode();
    if (last) yield last;
  } finally {
    raw.destroy();
    gunzip?.destroy();
  }
}

/**
 * Streams the elements of a JSON file's wanted lists into `onRow`, each built by `toRow` (which
 * throws RowError for an element it cannot read: reported with its line and skipped). A file
 * that breaks halfway throws InputFileError; an error from `onRow` is rethrown as it is.
 */
export async function readJson<R>(
  file: InputFile,
  lists: Readonly<Record<string, readonly string[]>>,
  toRow: (list: string, value: unknown, source: SourceRef) => R,
  hooks: ReadHooks,
  onRow: (row: R) => void,
): Promise<void> {
  const { stats, onDiagnostic } = hooks;
  const limits = hooks.limits ?? READ_LIMITS;
  const report = (line: number, message: string): void => {
    stats.skipped++;
    onDiagnostic({ file: file.name, line, message: `${message}; skipped` });
  };
  let consumerFailure: { error: unknown } | undefined;
  try {
    outer: for await (const batch of streamJsonLists(textChunks(file, limits, hooks.onBytes), lists, report, limits.maxLineLength)) {
      for (const item of batch) {
        try {
          const row = toRow(item.list, item.value, { file: file.name, line: item.line });
          stats.rows++;
          onRow(row);
        } catch (error) {
          if (error instanceof RowError) {
            report(item.line, error.message);
            continue;
          }
          consumerFailure = { error };
          break outer;
        }
      }
    }
  } catch (err) {
    throw new InputFileError(file.name, err);
  }
  if (consumerFailure) throw consumerFailure.error;
}
