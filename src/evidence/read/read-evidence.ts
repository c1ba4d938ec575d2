// What an evidence file is and what it says, from its bytes alone: no database, no request. This
// is what runs in the reading worker (read-worker.ts), so a hostile file costs a thread that can
// be stopped, never the service's event loop.
import { imageSize } from 'image-size';
import type { Currency } from '../../domain/money.js';
import type { ReadResult } from './items.js';
import { NotCsvError, parseCsvRecords, readCsv } from './read-csv.js';
import { recogniseInvoice } from './read-invoice-text.js';
import { pdfTextLines, UnreadablePdfError, type PdfLimits } from './read-pdf.js';

export const ACCEPTED_TYPES = ['text/csv', 'application/pdf', 'image/jpeg', 'image/png'] as const;
export type EvidenceContentType = (typeof ACCEPTED_TYPES)[number];

/** Photos (a SKU on the scale, beside a ruler) are kept as sent; nothing is read from them. */
export const isPhoto = (t: string): t is 'image/jpeg' | 'image/png' => t === 'image/jpeg' || t === 'image/png';

/** Declared types browsers and tools use for these files; the content decides. */
const DECLARED_OK = new Set(['text/csv', 'application/pdf', 'application/vnd.ms-excel', 'text/plain', 'application/octet-stream', 'application/csv', 'application/x-pdf']);

export class UnsupportedFileError extends Error {
  override readonly name = 'UnsupportedFileError';
}

/**
 * A PDF starts with its `%PDF-` header (ISO 32000), at most after a byte-order mark or blank
 * space: a reader that looks anywhere in the first KiB, as some viewers do, took an HTML page with
 * `<!-- %PDF-1.4 -->` in it for a PDF.
 */
const isPdf = (b: Uint8Array) => /^(\xEF\xBB\xBF)?\s*%PDF-/.test(Buffer.from(b.subarray(0, 64)).toString('latin1'));

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** A photo by its signature (JPEG's SOI marker, PNG's eight bytes). */
function photoType(b: Uint8Array): 'image/jpeg' | 'image/png' | undefined {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && PNG_SIGNATURE.every((x, i) => b[i] === x)) return 'image/png';
  return undefined;
}

/** The shortest side a measurement photo may have, in pixels. */
export const MIN_PHOTO_SIDE = 100;

/** A photo's width and height from its header, if it has a whole one. */
function photoSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  try {
    const { width, height } = imageSize(bytes);
    return width && height ? { width, height } : undefined;
  } catch {
    return undefined;
  }
}

/** A photo is taken only when declared as one and its bytes agree: a photo is never guessed from octet-stream. */
function checkPhoto(f: { filename: string; bytes: Uint8Array }, declared: string): 'image/jpeg' | 'image/png' {
  const said = declared === 'image/jpg' ? 'image/jpeg' : declared;
  const is = photoType(f.bytes);
  if (is !== said) throw new UnsupportedFileError(`${f.filename} is declared ${declared} but is ${is ?? 'not that kind of image'}: not accepted`);
  // The signature alone is 3 or 8 bytes: a photo must also say how big it is, and be big enough
  // for Amazon's reviewer to read a measuring tape or a scale on it.
  const size = photoSize(f.bytes);
  if (!size) throw new UnsupportedFileError(`${f.filename} is not a whole ${is === 'image/png' ? 'PNG' : 'JPEG'} image (its size cannot be read): not accepted`);
  if (Math.min(size.width, size.height) < MIN_PHOTO_SIDE) {
    throw new UnsupportedFileError(`${f.filename} is ${size.width}×${size.height} pixels: a measurement photo needs at least ${MIN_PHOTO_SIDE} pixels on each side to be read`);
  }
  return is;
}

/**
 * What the bytes are: a PDF by its `%PDF-` signature, a CSV by parsing it. Throws
 * UnsupportedFileError for an empty file, anything else, or when the declared type contradicts the content.
 */
export function checkFile(f: { filename: string; bytes: Uint8Array; declaredType: string }): EvidenceContentType {
  // Nothing to tell apart: a zero-byte file is said to be empty, whatever it was declared as.
  if (f.bytes.length === 0) throw new UnsupportedFileError(`${f.filename} is empty`);
  const declared = f.declaredType.split(';')[0]!.trim().toLowerCase();
  if (declared === 'image/jpeg' || declared === 'image/jpg' || declared === 'image/png') return checkPhoto(f, declared);
  if (!DECLARED_OK.has(declared)) throw new UnsupportedFileError(`${f.filename}: ${declared || 'no type'} is not accepted; send text/csv, application/pdf, or a photo as image/jpeg or image/png`);
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
  if (isPhoto(contentType)) return { items: [], linesRead: 0, skipped: [] };
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
