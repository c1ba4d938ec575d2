// The case summary as a PDF (pdfkit), for the evidence download: the case, where to file it, each
// item with the ids Amazon's form asks for, the amounts, the reports and the documents. Written to
// be attached to the case, so in Amazon's terms only, like the case text. Deterministic: its date
// is the case's, never the clock's, so the same case gives the same bytes.
import PDFDocument from 'pdfkit';
import type { CaseKit } from './case-kit.js';

const MARGIN = 50;

// The standard PDF fonts speak WinAnsi: anything outside Latin-1 would print as garbage.
const printable = (s: string) => s.replace(/›/g, '>').replace(/[^\x20-\x7e\xa0-\xff\n]/g, '?');

export interface CaseSummary {
  readonly subject: string;
  /** When the case was prepared: the document's date. */
  readonly preparedAt: Date;
  readonly kit: CaseKit;
  /** The item numbers of the case text, by claim id, to label each item's fields. */
  readonly itemOf: ReadonlyMap<string, number>;
}

export function renderCaseSummaryPdf(s: CaseSummary): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN },
    info: { Title: printable(s.subject), Subject: 'Reimbursement case summary', CreationDate: s.preparedAt, ModDate: s.preparedAt },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const heading = (text: string) => {
    doc.moveDown(0.8).font('Helvetica-Bold').fontSize(12).fillColor('#111111').text(printable(text)).moveDown(0.3);
    doc.font('Helvetica').fontSize(9.5).fillColor('#222222');
  };
  const field = (label: string, value: string) => doc.font('Helvetica-Bold').text(`${printable(label)}: `, { continued: true }).font('Helvetica').text(printable(value));

  doc.font('Helvetica-Bold').fontSize(16).text(printable(s.subject));
  doc.font('Helvetica').fontSize(9.5).fillColor('#444444').text(`Prepared ${s.preparedAt.toISOString().slice(0, 10)}`).fillColor('#222222');

  heading('Where to file');
  field('Place', s.kit.where.place);
  field('Link', s.kit.where.url);
  s.kit.where.steps.forEach((step, i) => doc.text(printable(`${i + 1}. ${step}`)));

  heading('What the form asks for');
  const shared = s.kit.fields.filter((f) => f.claim_id === null);
  for (const f of shared) field(f.label, f.value);
  const byClaim = new Map<string, typeof s.kit.fields>();
  for (const f of s.kit.fields) if (f.claim_id !== null) byClaim.set(f.claim_id, [...(byClaim.get(f.claim_id) ?? []), f]);
  for (const [claimId, fields] of byClaim) {
    doc.moveDown(0.3).font('Helvetica-Bold').text(`Item ${s.itemOf.get(claimId) ?? '?'}`).font('Helvetica');
    for (const f of fields) field(`  ${f.label}`, f.value);
  }

  heading('Case text');
  doc.font('Helvetica').fontSize(9).text(printable(s.kit.text));

  heading('In this download');
  doc.fontSize(9.5).text('summary.pdf (this file), case-text.txt, report-lines.csv (the report lines each item rests on, under the reports\' own columns)');
  for (const e of s.kit.evidence_files) doc.text(printable(`evidence/${e.name} (${e.kind.replace(/_/g, ' ')})`));
  doc.end();
  return done;
}
