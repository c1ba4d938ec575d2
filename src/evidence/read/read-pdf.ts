// The text layer of a PDF as lines of cells (pdfjs-dist, the legacy build that runs in Node). A
// scan has no text layer: it yields no lines, and the caller says so instead of guessing.
import { getDocument, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface TextCell {
  readonly text: string;
  readonly x: number;
}

export class UnreadablePdfError extends Error {
  override readonly name = 'UnreadablePdfError';
}

/** Lines top to bottom, page after page; each line's cells left to right. Pages beyond `maxPages` are not read. */
export async function pdfTextLines(bytes: Uint8Array, maxPages = 50): Promise<TextCell[][]> {
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
    const out: TextCell[][] = [];
    for (let p = 1; p <= Math.min(doc.numPages, maxPages); p++) {
      const page = await doc.getPage(p);
      const content = await page.getTextContent();
      const rows = new Map<number, TextCell[]>();
      for (const item of content.items) {
        if (!('str' in item) || item.str.trim() === '') continue;
        // Cells of one printed line share a baseline; round it so sub-point jitter does not split them.
        const y = Math.round(item.transform[5] as number);
        const x = item.transform[4] as number;
        rows.set(y, [...(rows.get(y) ?? []), { text: item.str.trim().replace(/\s+/g, ' '), x }]);
      }
      for (const y of [...rows.keys()].sort((a, b) => b - a)) out.push(rows.get(y)!.sort((a, b) => a.x - b.x));
      page.cleanup();
    }
    return out;
  } finally {
    await doc.destroy();
  }
}
