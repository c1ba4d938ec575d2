// The case's one download: a zip with summary.pdf, case-text.txt, report-lines.csv and every
// evidence file of its claims under evidence/. Everything small (claims, text, lines, the summary)
// is read before the first byte is sent, so a failure there is an ordinary error answer; the
// evidence files, the only large part, are read one at a time as the zip reaches them and piped
// through, so a case with many big files never sits in memory whole.
import { Readable } from 'node:stream';
import { and, eq, inArray } from 'drizzle-orm';
import { ZipFile } from 'yazl';
import { sourceLines } from '../proof/gather-proof.js';
import type { Db } from '../store/db.js';
import { evidenceBlobs, evidenceFiles } from '../store/schema/evidence-tables.js';
import { readBlobWhole } from '../evidence/blob-store.js';
import { caseKit } from './case-kit.js';
import { renderCaseSummaryPdf } from './case-summary-pdf.js';
import { evidenceEntryNames } from './evidence-names.js';
import { claimsOf, evidenceOf, type FilingRow } from './filings.js';
import { reportLinesCsv, type CaseSourceLine } from './report-lines-csv.js';
import { writeCase } from './write-case.js';

export interface EvidenceZip {
  /** The zip's bytes as they are made; it errors (and ends) if an evidence file cannot be read. */
  readonly stream: Readable;
}

/** Builds the case's zip; the filing must be the caller's to see (checked before). */
export async function evidenceZip(db: Db, filing: FilingRow, downloadUrl: (fileId: string) => string): Promise<EvidenceZip> {
  const claims = await claimsOf(db, filing);
  const evidence = await evidenceOf(db, claims.map((c) => c.id));
  const written = claims.length ? writeCase(claims, evidence, downloadUrl) : undefined;
  const kit = claims.length ? caseKit(filing.id, claims, evidence, downloadUrl) : undefined;

  const lines: CaseSourceLine[] = [];
  for (const [i, c] of claims.entries()) {
    for (const l of await sourceLines(db, { userId: filing.userId, details: c.details })) lines.push({ item: i + 1, file: l.file, text: l.text, header: l.header });
  }
  const itemOf = new Map(claims.map((c, i) => [c.id, i + 1]));
  const summary = kit ? await renderCaseSummaryPdf({ subject: written?.subject ?? filing.subject, preparedAt: filing.createdAt, kit, itemOf }) : undefined;

  // The same date on every entry, the case's: the same case gives the same zip.
  const mtime = filing.createdAt;
  const zip = new ZipFile();
  if (summary) zip.addBuffer(summary, 'summary.pdf', { mtime });
  // A reopening's text is the seller's reply on the same case, written when it was prepared.
  zip.addBuffer(Buffer.from(filing.reopensCaseId ? filing.body : (kit?.text ?? filing.body), 'utf8'), 'case-text.txt', { mtime });
  zip.addBuffer(Buffer.from(reportLinesCsv(lines), 'utf8'), 'report-lines.csv', { mtime });

  const files = written?.attachments ?? [];
  // Checked now, while an error is still an error answer: once the zip is streaming it can only break.
  const stored = await storedFiles(db, filing.userId, files.map((a) => String(a.file_id)));
  const lost = files.find((a) => !stored.has(String(a.file_id)));
  if (lost) throw new Error(`evidence file ${String(lost.file_id)} has lost its bytes`);
  const names = evidenceEntryNames(files.map((a) => ({ fileId: String(a.file_id), filename: String(a.filename) })));
  for (const a of files) {
    const fileId = String(a.file_id);
    zip.addReadStreamLazy(`evidence/${names.get(fileId) ?? fileId}`, { mtime }, (cb) => {
      blobOf(db, filing.userId, fileId).then(
        (bytes) => cb(null, Readable.from([bytes])),
        (err: unknown) => cb(err instanceof Error ? err : new Error(String(err)), undefined as unknown as Readable),
      );
    });
  }
  zip.end();
  const stream = zip.outputStream as Readable;
  // A file that cannot be read half-way: the download must break visibly, never end as a short, valid-looking zip.
  zip.on('error', (err: Error) => stream.destroy(err));
  return { stream };
}

/** Which of these evidence files are the seller's and have their bytes stored (the bytes themselves are not read). */
async function storedFiles(db: Db, userId: string, fileIds: readonly string[]): Promise<Set<string>> {
  if (fileIds.length === 0) return new Set();
  const found = await db
    .select({ id: evidenceFiles.id })
    .from(evidenceFiles)
    .innerJoin(evidenceBlobs, eq(evidenceBlobs.sha256, evidenceFiles.sha256))
    .where(and(inArray(evidenceFiles.id, [...fileIds]), eq(evidenceFiles.userId, userId)));
  return new Set(found.map((f) => f.id));
}

/** One evidence file's bytes, only if it is the seller's. */
async function blobOf(db: Db, userId: string, fileId: string): Promise<Buffer> {
  const [file] = await db
    .select({ sha256: evidenceFiles.sha256 })
    .from(evidenceFiles)
    .where(and(eq(evidenceFiles.id, fileId), eq(evidenceFiles.userId, userId)));
  const bytes = file && (await readBlobWhole(db, file.sha256));
  if (!bytes) throw new Error(`evidence file ${fileId} has no stored bytes`);
  return bytes;
}
