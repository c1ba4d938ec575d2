/**
 * A stand-in for Seller Central's case log (SP-API has no case operation, AMAZON.md §0): file a
 * case with an Idempotency-Key, reconcile by that key after a crash, read a case, and — acting
 * as Amazon — decide it. An approval appends a reimbursement row carrying the case id to the
 * seller's GET_FBA_REIMBURSEMENTS_DATA, which is how Clario later sees the money arrive.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { formatMoney, isCurrency, money } from '../../domain/money.js';
import type { SimCase, SimulatorState } from './state.js';
import { guard, param, sendErrors, type GuardOptions } from './wire.js';

const FileCase = z.object({
  subject: z.string().min(1).max(200),
  description: z.string().min(1).max(20_000),
  claim_type: z.string().min(1).optional(),
  /** The reimbursements report's reason, when the claim type does not imply one. */
  reason: z.string().min(1).optional(),
  sku: z.string().optional(),
  fnsku: z.string().optional(),
  asin: z.string().optional(),
  product_name: z.string().optional(),
  order_id: z.string().optional(),
  shipment_id: z.string().optional(),
  quantity: z.number().int().positive().optional(),
});

const Decision = z.union([
  z.object({ approve: z.object({ amount_minor: z.number().int().positive(), currency: z.string().refine(isCurrency, 'an ISO 4217 currency') }) }),
  z.object({ reject: z.object({ reason: z.string().min(1) }) }),
]);

/** The reimbursements report's `reason` for each DETECTION.md claim type. */
const REASONS: Readonly<Record<string, string>> = {
  lost_warehouse: 'Lost_Warehouse',
  damaged_warehouse: 'Damaged_Warehouse',
  inbound_shortage: 'Lost_Inbound',
  refund_not_returned: 'CustomerReturn',
  return_damaged: 'CustomerReturn',
  removal_shortfall: 'Removal_Order_Lost',
  fee_overcharge: 'FeeCorrection',
  underpaid_reimbursement: 'Reimbursement_Reversal',
};

function view(c: SimCase): Record<string, unknown> {
  return { case_id: c.case_id, status: c.status, idempotency_key: c.idempotency_key, created_at: c.created_at, updated_at: c.updated_at, ...c.request, decision: c.decision };
}

/** Amazon writes timestamps with an offset; the simulator keeps UTC. */
function amazonTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

function decimal(minor: number, currencyCode: string): string {
  return formatMoney(money(minor, currencyCode)).split(' ')[0] ?? '0';
}

export function registerCases(app: FastifyInstance, options: GuardOptions): void {
  const { state } = options;

  app.post('/cases', async (req, reply) => {
    const sellerId = guard(req, reply, options);
    if (!sellerId) return reply;
    const parsed = FileCase.safeParse(req.body);
    if (!parsed.success) return sendErrors(reply, 400, 'InvalidInput', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    const keyHeader = req.headers['idempotency-key'];
    const key = (Array.isArray(keyHeader) ? keyHeader[0] : keyHeader) || null;
    if (key !== null && key.length > 255) return sendErrors(reply, 400, 'InvalidInput', 'Idempotency-Key is longer than 255 characters');
    const fingerprint = createHash('sha256').update(JSON.stringify(parsed.data)).digest('hex');
    const keyed = key === null ? undefined : `${sellerId}\u0000${key}`;
    const existingId = keyed && state.casesByKey.get(keyed);
    if (existingId) {
      const existing = state.cases.get(existingId);
      if (existing && existing.fingerprint !== fingerprint) return sendErrors(reply, 422, 'IdempotencyKeyReused', 'This Idempotency-Key was used for a different case');
      if (existing) return reply.code(200).send(view(existing));
    }
    const now = state.nowIso();
    const filed: SimCase = {
      case_id: state.nextNumber(17_000_000_000),
      seller_id: sellerId,
      idempotency_key: key,
      created_at: now,
      updated_at: now,
      status: 'open',
      request: parsed.data,
      decision: null,
      fingerprint,
    };
    state.cases.set(filed.case_id, filed);
    if (keyed) state.casesByKey.set(keyed, filed.case_id);
    return reply.code(201).send(view(filed));
  });

  app.get('/cases', async (req, reply) => {
    const sellerId = guard(req, reply, options);
    if (!sellerId) return reply;
    const key = param(req.query, 'idempotency_key');
    const cases = [...state.cases.values()].filter((c) => c.seller_id === sellerId && (key === undefined || c.idempotency_key === key));
    return reply.send({ cases: cases.map(view) });
  });

  app.get('/cases/:caseId', async (req, reply) => {
    const sellerId = guard(req, reply, options);
    if (!sellerId) return reply;
    const found = state.cases.get((req.params as { caseId: string }).caseId);
    if (!found || found.seller_id !== sellerId) return sendErrors(reply, 404, 'NotFound', 'Case not found');
    return reply.send(view(found));
  });

  // Amazon's side of the case: no seller token, the operator of the simulator decides.
  app.post('/cases/:caseId/decision', async (req, reply) => {
    const found = state.cases.get((req.params as { caseId: string }).caseId);
    if (!found) return sendErrors(reply, 404, 'NotFound', 'Case not found');
    const parsed = Decision.safeParse(req.body);
    if (!parsed.success) return sendErrors(reply, 400, 'InvalidInput', 'Send {"approve":{"amount_minor","currency"}} or {"reject":{"reason"}}');
    if (found.status !== 'open') return sendErrors(reply, 409, 'CaseAlreadyDecided', `Case ${found.case_id} is already ${found.status}`);
    const now = state.clock.now();
    if ('approve' in parsed.data) {
      const { amount_minor, currency } = parsed.data.approve;
      const reimbursementId = state.nextNumber(9_000_000_000);
      appendReimbursement(state, found, reimbursementId, amount_minor, currency, now);
      found.status = 'approved';
      found.decision = { approved: { amount_minor, currency, reimbursement_id: reimbursementId } };
    } else {
      found.status = 'rejected';
      found.decision = { rejected: { reason: parsed.data.reject.reason } };
    }
    found.updated_at = new Date(now).toISOString();
    return reply.send(view(found));
  });
}

function appendReimbursement(state: SimulatorState, c: SimCase, reimbursementId: string, amountMinor: number, currency: string, now: number): void {
  const r = FileCase.parse(c.request);
  const units = r.quantity ?? 1;
  const rows = state.addedReimbursements.get(c.seller_id) ?? [];
  rows.push({
    'approval-date': amazonTimestamp(now),
    'reimbursement-id': reimbursementId,
    'case-id': c.case_id,
    'amazon-order-id': r.order_id ?? '',
    reason: r.reason ?? REASONS[r.claim_type ?? ''] ?? 'General_Adjustment',
    sku: r.sku ?? '',
    fnsku: r.fnsku ?? '',
    asin: r.asin ?? '',
    'product-name': r.product_name ?? '',
    condition: 'NewItem',
    'currency-unit': currency,
    'amount-per-unit': decimal(Math.round(amountMinor / units), currency),
    'amount-total': decimal(amountMinor, currency),
    'quantity-reimbursed-cash': String(units),
    'quantity-reimbursed-inventory': '0',
    'quantity-reimbursed-total': String(units),
    'original-reimbursement-id': '',
    'original-reimbursement-type': '',
  });
  state.addedReimbursements.set(c.seller_id, rows);
}
