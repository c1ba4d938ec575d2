import { createReadStream } from 'node:fs';
import { createInterface, type Interface } from 'node:readline';
import { createGunzip } from 'node:zlib';

/** An input file found in the folder. */
export interface InputFile {
  /** The name as found in the folder (e.g. GET_LEDGER_DETAIL_VIEW_DATA.tsv.gz): what sources cite. */
  readonly name: string;
  readonly path: string;
  readonly gzip: boolean;
  /** Bytes on disk (compressed size for .gz), for progress. */
  readonly size: number;
}

export interface OpenLines {
  /** The file's lines, decompressed when it is gzipped; iterate once. Read errors are thrown from the loop. */
  readonly lines: Interface;
  readonly close: () => void;
}

/**
 * Opens a file as a stream of lines: never the whole file in memory. `onBytes` reports bytes read
 * from disk. The caller iterates `lines` directly (no generator in between: on a ledger of
 * millions of rows each extra async layer costs a visible share of the time) and must close.
 */
export function openLines(file: InputFile, onBytes?: (bytes: number) => void): OpenLines {
  const raw = createReadStream(file.path, { highWaterMark: 1 << 18 });
  if (onBytes) raw.on('data', (chunk) => onBytes(chunk.length));
  const gunzip = file.gzip ? createGunzip() : undefined;
  // pipe() does not forward errors: without this a failed read would leave gunzip waiting for ever.
  if (gunzip) raw.on('error', (err) => gunzip.destroy(err));
  const lines = createInterface({ input: gunzip ? raw.pipe(gunzip) : raw, crlfDelay: Infinity });
  return {
    lines,
    close: () => {
      lines.close();
      raw.destroy();
      gunzip?.destroy();
    },
  };
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
