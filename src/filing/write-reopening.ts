// The seller's reply on an Amazon case that Amazon rejected, or on which it asked for documents:
// "on case N you asked for X; here it is, please reopen and reimburse". Pure, in Amazon's terms
// (the case id, SKUs, FNSKUs, quantities, the documents), never Clario's internals. The items and
// attachments are the case's own (writeCase), so the evidence bundle and the form fields match.
import type { MissingDocument } from '../domain/rejection.js';
import { formatMoney, isCurrency, money } from '../domain/money.js';
import { writeCase, type CaseClaim, type CaseEvidence, type WrittenCase } from './write-case.js';

const DOCUMENTS: Record<MissingDocument, string> = {
  upload_invoice: 'the supplier invoice for these units (proof of ownership)',
  upload_proof_of_delivery: 'the carrier proof of delivery for this shipment',
};

export interface Reopening {
  /** Amazon's case the reply goes on. */
  readonly caseId: string;
  /** What Amazon asked for, as Clario read it. */
  readonly needs: readonly MissingDocument[];
}

export function writeReopening(claims: readonly CaseClaim[], evidence: readonly CaseEvidence[], downloadUrl: (fileId: string) => string, reopening: Reopening): WrittenCase {
  const written = writeCase(claims, evidence, downloadUrl);
  const asked = [...new Set(reopening.needs)].map((n) => DOCUMENTS[n]);
  const lines = [
    'Hello,',
    '',
    asked.length
      ? `On case ${reopening.caseId} you asked for ${asked.join(' and ')}. It is attached to this reply.`
      : `I am replying on case ${reopening.caseId} with further documents for the items below.`,
    `Please reopen case ${reopening.caseId} and reimburse the following ${written.items.length === 1 ? 'item' : `${written.items.length} items`}:`,
    '',
  ];
  written.items.forEach((item, i) => {
    const ids = [item.sku && `SKU ${item.sku}`, item.fnsku && `FNSKU ${item.fnsku}`, item.asin && `ASIN ${item.asin}`].filter(Boolean).join(', ');
    const refs = [item.shipment_id && `shipment ${item.shipment_id}`, item.order_id && `order ${item.order_id}`].filter(Boolean).join(', ');
    const worth = item.amount_minor !== undefined && item.currency && isCurrency(item.currency) ? `, ${formatMoney(money(item.amount_minor, item.currency))}` : '';
    lines.push(`${i + 1}. ${ids || 'item'}${refs ? ` (${refs})` : ''}: ${item.quantity} unit${item.quantity === 1 ? '' : 's'}${worth}.`);
  });
  lines.push('', written.attachments.length ? 'Attached:' : 'No documents are attached yet.');
  for (const a of written.attachments) lines.push(`- ${String(a.filename)}`);
  lines.push('', 'Thank you.');
  return { ...written, subject: `Re: case ${reopening.caseId}: the documents you asked for`.slice(0, 200), body: lines.join('\n') };
}

