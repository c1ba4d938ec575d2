// The proof packet as a PDF (pdfkit). Deterministic: its dates come from the data, never from the
// clock, and pdfkit derives the file id from them, so the same data gives the same bytes and hash.
import PDFDocument from 'pdfkit';
import { formatMoney, isCurrency, money } from '../domain/money.js';
import { isPhaseNumber, PHASES } from '../domain/phase.js';
import { plural } from '../domain/plural.js';
import { payoutId as payoutIdOf, reimbursementIdOf } from '../payouts/reimbursement-line.js';
import { feeArithmetic, netOf } from './fee-arithmetic.js';
import type { ProofData } from './gather-proof.js';
import { ruleText } from './rules.js';

const MARGIN = 50;
const FOOTER_SPACE = 30;

// The standard PDF fonts speak WinAnsi: anything outside Latin-1 would print as garbage.
const printable = (s: string) => s.replace(/\t/g, ' | ').replace(/[^\x20-\x7e\xa0-\xff\n]/g, '?');
const iso = (d: Date | null | undefined) => (d ? d.toISOString().replace('.000Z', 'Z') : NOT_GIVEN);
/** A field that must appear but has no value: said in words, never a "-" a reader must decode. */
const NOT_GIVEN = 'not given';
/** A day, as Amazon's reports give dates: 2026-11-20. */
const day = (d: Date) => d.toISOString().slice(0, 10);
const amount = (minor: number | null, code: string | null) =>
  minor === null || !code || !isCurrency(code) ? 'unknown' : formatMoney(money(minor, code));
/** A sum, exact; 'unknown' past what a number holds (no single payout comes near). */
const total = (minor: bigint, code: string) => (minor <= BigInt(Number.MAX_SAFE_INTEGER) && minor >= BigInt(Number.MIN_SAFE_INTEGER) ? amount(Number(minor), code) : 'unknown');

export const VERIFY_TEXT = [
  'How to verify this packet: Clario stored the SHA-256 of this exact file when the claim was paid.',
  'It is shown at GET /api/v1/claims/<claim id>/proof (field sha256) and sent as the X-Content-SHA256 header of the download.',
  'Compute it yourself and compare: "sha256sum proof.pdf" (Linux), "shasum -a 256 proof.pdf" (macOS) or',
  '"certutil -hashfile proof.pdf SHA256" (Windows). Any change to the file, even one byte, changes the hash.',
].join(' ');

export function renderProofPdf(d: ProofData): Promise<Buffer> {
  const { claim } = d;
  // A payout named by Amazon's reimbursement id (the payout id's line key after it is Clario's
  // own); a reversal as the reversal of the reimbursement it takes back, never as a reimbursement.
  const idOf = (f: { kind: string; payoutId: string; reversesPayoutId: string | null }) =>
    f.kind === 'refund' && f.reversesPayoutId ? `${reimbursementIdOf(f.payoutId)} of reimbursement ${reimbursementIdOf(f.reversesPayoutId)}` : reimbursementIdOf(f.payoutId);
  const named = (f: { kind: string; payoutId: string; reversesPayoutId: string | null }) => `${f.kind === 'refund' ? 'reversal' : 'reimbursement'} ${idOf(f)}`;
  const own = d.fees.find((f) => f.payoutId === d.payoutId);
  const reimbursement = own ? named(own) : `reimbursement ${reimbursementIdOf(d.payoutId)}`;
  const caseText = claim.caseId ? `Amazon case ${claim.caseId}` : 'no Amazon case id';
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER_SPACE },
    bufferPages: true,
    info: {
      Title: `Clario proof packet: claim ${claim.id}`,
      Author: 'Clario',
      Subject: `Reimbursement claim ${claim.id}, ${caseText}, ${reimbursement}`,
      Creator: 'Clario',
      Producer: 'Clario (pdfkit)',
      CreationDate: d.asOf,
      ModDate: d.asOf,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const heading = (text: string) => {
    doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).fillColor('#111111').text(printable(text)).moveDown(0.3);
    doc.font('Helvetica').fontSize(9.5).fillColor('#222222');
  };
  const field = (label: string, value: string) => {
    doc.font('Helvetica-Bold').text(`${printable(label)}: `, { continued: true }).font('Helvetica').text(printable(value));
  };
  const para = (text: string) => doc.font('Helvetica').fontSize(9.5).text(printable(text));
  const mono = (text: string) => doc.font('Courier').fontSize(7.5).text(printable(text)).font('Helvetica').fontSize(9.5);

  // Title
  doc.font('Helvetica-Bold').fontSize(18).text('Clario proof packet');
  doc.font('Helvetica').fontSize(10).fillColor('#444444').text(printable(`Claim ${claim.id} - ${caseText} - ${reimbursement}`));
  doc.text(printable(`Seller ${claim.userId}. Facts as of ${iso(d.asOf)}.`)).fillColor('#222222');

  // The claim and its rule
  const rule = ruleText(claim.type);
  const details = claim.details ?? {};
  heading('1. The claim and its rule');
  field('Claim id', claim.id);
  field('Type', rule.name);
  field('Status', claim.status);
  field('Units', claim.quantity === null ? NOT_GIVEN : String(claim.quantity));
  field('Claimed amount', amount(claim.amountMinor, claim.currency));
  field('Valuation', details.valuation === 'sale_price_estimate' ? 'average sale price (no unit cost on file)' : `${rule.amount}`);
  if (typeof details.sku === 'string') field('SKU', details.sku);
  if (typeof details.fnsku === 'string') field('FNSKU', details.fnsku);
  if (details.key && typeof details.key === 'object') {
    field('Key', Object.entries(details.key as Record<string, unknown>).map(([k, v]) => `${k} ${String(v)}`).join(', '));
  }
  field('Deadline', claim.deadline ?? NOT_GIVEN);
  field('Detected', iso(claim.createdAt));
  field('Rule', rule.rule);

  // The report lines
  heading('2. The Amazon report lines it rests on');
  if (d.lines.length === 0) para('No report lines are recorded for this claim.');
  let lastHeader: string | null = null;
  for (const l of d.lines) {
    field('Source', `${l.file}${l.documentId ? `, document ${l.documentId}` : ''}${l.line !== null ? `, line ${l.line}` : ''}${l.syncId ? `, sync ${l.syncId}` : ''}`);
    if (l.header && l.header !== lastHeader) {
      mono(`header: ${l.header}`);
      lastHeader = l.header;
    }
    mono(l.text ?? '(the line itself is not stored: the claim was detected from files outside Clario)');
    doc.moveDown(0.2);
  }

  // Evidence
  heading('3. Evidence');
  if (d.evidence.length === 0) para('No evidence files are attached to this claim.');
  for (const e of d.evidence) {
    field('File', `${e.file.filename} (${e.file.kind}, used as ${e.role}${e.units !== null ? `, covering ${plural(e.units, 'unit')}` : ''})`);
    field('File SHA-256', e.file.sha256);
    for (const i of e.items) {
      // What the document does not say is left out, not printed as "-".
      const cost = i.unitCostMinor !== null && i.currency ? ` at ${amount(i.unitCostMinor, i.currency)}` : '';
      const said = [
        [i.documentRef, i.supplier, i.sku, i.productName].filter(Boolean).join(' / '),
        i.quantity !== null ? `qty ${i.quantity}${cost}` : cost ? `unit cost${cost}` : '',
        i.date ? `dated ${i.date}` : '',
      ].filter(Boolean);
      para(`  line ${i.lineNo}: ${said.join('; ')}`);
    }
    doc.moveDown(0.2);
  }

  // Case
  heading('4. The case at Amazon');
  field('Case id', claim.caseId ?? NOT_GIVEN);
  if (claim.filingId) field('Clario filing', claim.filingId);

  // Payouts
  heading('5. The reimbursement and any reversals');
  if (d.reimbursements.length === 0 && d.fees.length === 0) para('No reimbursement row from Amazon is recorded for this case yet.');
  for (const r of d.reimbursements) {
    // Amazon's id and what Amazon's report says of it; what it leaves out is left out (the line
    // key, Clario's own way to tell a reimbursement's lines apart, is not shown: SKU and FNSKU are).
    const said = [
      r.reason ? `reason ${r.reason}` : '',
      r.sku ? `SKU ${r.sku}` : '',
      r.fnsku ? `FNSKU ${r.fnsku}` : '',
      r.approvalDate ? `approved ${day(r.approvalDate)}` : '',
      r.caseId ? `case ${r.caseId}` : '',
    ].filter(Boolean);
    field(
      r.kind === 'reversal' ? 'Reversal' : 'Reimbursement',
      `${r.reimbursementId}${r.kind === 'reversal' && r.originalReimbursementId ? ` of reimbursement ${r.originalReimbursementId}` : ''}: ${amount(r.amountMinor, r.currency)}${r.quantity !== null ? ` for ${plural(r.quantity, 'unit')}` : ''}${said.length ? `, ${said.join(', ')}` : ''}${r.attributed ? ' (Clario\'s case)' : ' (not Clario\'s case: not billed)'}`,
    );
  }

  // A payout phase 7 settled that Amazon's report has not listed (yet): a trigger named it alone.
  const listed = (f: { payoutId: string }) => d.reimbursements.some((r) => r.reimbursementId === f.payoutId || payoutIdOf(r.reimbursementId, r.lineKey) === f.payoutId);
  for (const f of d.fees.filter((x) => !listed(x))) {
    field(f.kind === 'refund' ? 'Reversal' : 'Reimbursement', `${idOf(f)}: ${amount(f.reimbursedMinor, f.currency)} (Clario's case)`);
  }
  const net = netOf(d.fees);
  for (const n of net) {
    field('Net recovered', `${total(n.paidMinor - n.reversedMinor, n.currency)}${n.reversedMinor !== 0n ? ` (${total(n.paidMinor, n.currency)} paid, less ${total(n.reversedMinor, n.currency)} reversed)` : ''}`);
  }

  // Fee
  heading('6. The fee');
  const fees = d.fees.filter((f) => f.payoutId === d.payoutId || f.reversesPayoutId === d.payoutId);
  if (fees.length === 0) para(`No fee is recorded for ${reimbursement}.`);
  for (const f of d.fees) {
    const a = feeArithmetic(f);
    field(f.kind === 'refund' ? `Fee given back on ${named(f)}` : `Fee on ${named(f)}`, `${a.text} (${f.status})`);
    if (!a.matches) {
      // A reversal gives back at most what is left of the fee it reverses.
      para(f.kind === 'refund'
        ? `Note: the fee recomputed from these figures is ${amount(a.recomputedMinor, f.currency)}; less was left of the fee of reimbursement ${reimbursementIdOf(f.reversesPayoutId ?? '')}, and that is what was given back.`
        : `Note: the fee recomputed from these figures is ${amount(a.recomputedMinor, f.currency)}; the recorded fee differs.`);
    }
  }
  for (const n of net) {
    field('Net fee', `${total(n.feeMinor - n.givenBackMinor, n.currency)}${n.givenBackMinor !== 0n ? ` (${total(n.feeMinor, n.currency)} charged, less ${total(n.givenBackMinor, n.currency)} given back)` : ''}`);
  }

  // Timeline
  heading('7. Timeline (audit log)');
  if (d.timeline.length === 0) para('No audit entries.');
  for (const t of d.timeline) {
    const name = isPhaseNumber(t.phase) ? PHASES[t.phase].name : `phase ${t.phase}`;
    mono(`${iso(t.at)}  phase ${t.phase} ${name}: ${t.fromStatus ?? 'new'} -> ${t.toStatus} (attempt ${t.attempt})${t.error ? ` error ${t.error.code}` : ''}`);
  }

  heading('8. Verifying this file');
  para(VERIFY_TEXT);

  // Footer on every page (margins lifted so the footer never starts a new page).
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('Helvetica')
      .fontSize(7.5)
      .fillColor('#666666')
      .text(
        printable(`Clario proof packet - claim ${claim.id}${claim.caseId ? ` - case ${claim.caseId}` : ''} - page ${i + 1} of ${range.count} - verify with SHA-256 (section 8)`),
        MARGIN,
        doc.page.height - MARGIN,
        { width: doc.page.width - 2 * MARGIN, align: 'center', lineBreak: false },
      );
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
