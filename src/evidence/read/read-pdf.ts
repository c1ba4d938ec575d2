// The text layer of a PDF as lines of cells (pdfjs-dist, the legacy build that runs in Node). A
// scan has no text layer: it yields no lines, and the caller says so instead of guessing.
// pdfjs is imported when a PDF is read, not with this module: its legacy build carries core-js
// polyfills that, on Node 20's V8, replace Array.prototype.push with a JS function for the whole
// thread (a few % of every process's CPU, the API's intake included). Reads run on a worker thread.
const pdfjs = () => import('pdfjs-dist/legacy/build/pdf.mjs');

export interface TextCell {
  readonly text: string;
  readonly x: number;
}

export class UnreadablePdfError extends Error {
  override readonly name = 'UnreadablePdfError';
}

/** What reading one PDF may cost: a file beyond either bound is unreadable, not half-read. */
export interface PdfLimits {
  readonly maxPages: number;
  readonly maxTextItems: number;
}

export const PDF_LIMITS: PdfLimits = { maxPages: 50, maxTextItems: 50_000 };

/**
 * Lines top to bottom, page after page; each line's cells left to right. Linear in the text items
 * (a page of 20,000 tiny items must not cost 20,000² steps). Throws UnreadablePdfError for a PDF
 * that cannot be opened or is over a bound.
 */
export async function pdfTextLines(bytes: Uint8Array, limits: PdfLimits = PDF_LIMITS): Promise<TextCell[][]> {
  const { getDocument, VerbosityLevel } = await pdfjs();
  // pdfjs takes ownership of (and detaches) the buffer it is given: pass a copy.
  const task = getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, useSystemFonts: false, verbosity: VerbosityLevel.ERRORS, stopAtErrors: true });
  let doc;
  try {
    doc = await task.promise;
  } catch (err) {
    await task.destroy();
    throw new UnreadablePdfError(`the PDF could not be opened: ${(err as Error).message}`);
  }
  try {
    if (doc.numPages > limits.maxPages) {
      throw new UnreadablePdfError(`the PDF has ${doc.numPages} pages; at most ${limits.maxPages} are read: upload the invoice's own pages, or the invoice as CSV`);
    }
    const out: TextCell[][] = [];
    let items = 0;
    for (let p = 1; p <= doc.numPages; p++) {
      const page = await doc.getPage(p);
      const content = await page.getTextContent();
      items += content.items.length;
      if (items > limits.maxTextItems) {
        throw new UnreadablePdfError(`the PDF holds more than ${limits.maxTextItems} pieces of text; an invoice holds far fewer: upload the invoice as CSV`);
      }
      const rows = new Map<number, TextCell[]>();
      for (const item of content.items) {
        if (!('str' in item) || item.str.trim() === '') continue;
        // Cells of one printed line share a baseline; round it so sub-point jitter does not split them.
        const y = Math.round(item.transform[5] as number);
        const x = item.transform[4] as number;
        const cell = { text: item.str.trim().replace(/\s+/g, ' '), x };
        const row = rows.get(y);
        if (row) row.push(cell);
        else rows.set(y, [cell]);
      }
      for (const y of [...rows.keys()].sort((a, b) => b - a)) out.push(rows.get(y)!.sort((a, b) => a.x - b.x));
      page.cleanup();
    }
    return out;
  } catch (err) {
    // pdfjs fails on a damaged page in ways of its own; every one of them is the file's fault.
    if (err instanceof UnreadablePdfError) throw err;
    throw new UnreadablePdfError(`the PDF could not be read: ${(err as Error).message}`);
  } finally {
    await doc.destroy();
  }
}
