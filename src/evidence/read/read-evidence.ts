// What an evidence file is and what it says, from its bytes alone: no database, no request. This
// is what runs in the reading worker (read-worker.ts), so a hostile file costs a thread that can
// be stopped, never the service's event loop.
import type { Currency } from '../../domain/money.js';
import type { ReadResult } from './items.js';
import { NotCsvError, parseCsvRecords, readCsv } from './read-csv.js';
import { recogniseInvoice } from './read-invoice-text.js';
import { pdfTextLines, UnreadablePdfError, type PdfLimits } from './read-pdf.js';

export const ACCEPTED_TYPES = ['text/csv', 'application/pdf'] as const;
export type EvidenceContentType = (typeof ACCEPTED_TYPES)[number];

/** Declared types browsers and tools use for these files; the content decides. */
const DECLARED_OK = new Set(['text/csv', 'application/pdf', 'application/vnd.ms-excel', 'text/plain', 'application/octet-stream', 'application/csv', 'application/x-pdf']);

export class UnsupportedFileError extends Error {
  override readonly name = 'UnsupportedFileError';
}

const isPdf = (b: Uint8Array) => Buffer.from(b.subarray(0, 1024)).includes('%PDF-');

/**
 * What the bytes are: a PDF by its `%PDF-` signature, a CSV by parsing it. Throws
 * UnsupportedFileError for anything else, or when the declared type contradicts the content.
 */
export function checkFile(f: { filename: string; bytes: Uint8Array; declaredType: string }): EvidenceContentType {
  const declared = f.declaredType.split(';')[0]!.trim().toLowerCase();
  if (!DECLARED_OK.has(declared)) throw new UnsupportedFileError(`${f.filename}: ${declared || 'no type'} is not accepted; send text/csv or application/pdf`);
  if (isPdf(f.bytes)) {
    if (declared.includes('csv') || declared === 'text/plain') throw new UnsupportedFileError(`${f.filename} is declared ${declared} but is a PDF`);
    return 'application/pdf';
  }
  if (declared.includes('pdf')) throw new UnsupportedFileError(`${f.filename} is declared ${declared} but is not a PDF`);
  try {
    parseCsvRecords(f.bytes);
  } catch (err) {
    if (err instanceof NotCsvError) throw new UnsupportedFileError(`${f.filename}: ${err.message}; send text/csv or application/pdf`);
    throw err;
  }
  return 'text/csv';
}

/** A read that found nothing, with the reason: the file is stored as `unreadable`. */
export const unreadable = (reason: string): ReadResult => ({ items: [], linesRead: 0, skipped: [{ line: 0, reason }] });

/** The line items of a file already checked; a PDF over a bound or damaged reads as unreadable. */
export async function readFile(bytes: Uint8Array, contentType: EvidenceContentType, defaultCurrency: Currency, pdf: PdfLimits): Promise<ReadResult> {
  if (contentType === 'text/csv') return readCsv(bytes, defaultCurrency);
  try {
    const lines = await pdfTextLines(bytes, pdf);
    return lines.length === 0
      ? unreadable('the PDF has no text layer (a scan or a photo?): upload the original PDF from your supplier, or the invoice as CSV')
      : recogniseInvoice(lines, defaultCurrency);
  } catch (err) {
    if (!(err instanceof UnreadablePdfError)) throw err;
    return unreadable(err.message);
  }
}
