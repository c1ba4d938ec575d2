// The evidence reader without its worker threads: the same check and read, on the test's own
// thread. For tests about what is done with a file's items (routing, prompts, who sees what),
// where starting a worker per file from TypeScript source costs seconds each. Reading off the
// thread, bounded in time and memory, is hostile-files.test.ts's and read-worker-dist.test.ts's.
import { readFile as readBytes } from 'node:fs/promises';
import { checkFile, readFile } from '../../../src/evidence/read/read-evidence.js';
import type { EvidenceReader } from '../../../src/evidence/read/read-off-thread.js';
import { PDF_LIMITS, type PdfLimits } from '../../../src/evidence/read/read-pdf.js';

export function inThreadReader(pdf: PdfLimits = PDF_LIMITS): EvidenceReader {
  return {
    async check(f) {
      return checkFile({ filename: f.filename, bytes: await readBytes(f.path), declaredType: f.declaredType });
    },
    async read(f, defaultCurrency) {
      return readFile(await readBytes(f.path), f.contentType, defaultCurrency, pdf);
    },
  };
}
