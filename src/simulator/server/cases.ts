/**
 * A stand-in for Seller Central's case log (SP-API has no case operation, AMAZON.md §0): file a
 * case with an Idempotency-Key, reconcile by that key after a crash, read a case, and — acting
 * as Amazon — decide it. An approval appends a reimbursement row carrying the case id to the
 * seller's GET_FBA_REIMBURSEMENTS_DATA, which is how Clario later sees the money arrive.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { decimalAmount, isCurrency } from './amounts.js';
import type { SimCase, SimulatorState } from './state.js';
import { guard, param, sendErrors, type GuardOptions } from './wire.js';

/** One item of a case: a SKU and its units (Amazon's portal takes several per case). */
const Item = z.object({
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
  amount_minor: z.number().int().nonnegative().optional(),
  currency: z.string().refine(isCurrency, 'an ISO 4217 currency').optional(),
});
type Item = z.infer<typeof Item>;

/** The single-item form (the item's fields at the top) or `items`, not both. */
const FileCase = Item.extend({
  subject: z.string().min(1).max(200),
  description: z.string().min(1).max(20_000),
  items: z.array(Item).min(1).max(50).optional(),
});

const Currency = z.string().refine(isCurrency, 'an ISO 4217 currency');
const Decision = z.union([
  z.object({
    approve: z.union([
      // A total, split across the items (remainder to the first), or one amount per item.
      z.object({ amount_minor: z.number().int().positive(), currency: Currency }),
      z.object({ items: z.array(z.object({ amount_minor: z.number().int().nonnegative() })).min(1), currency: Currency }),
    ]),
  }),
  z.object({ reject: z.object({ reason: z.string().min(1) }) }),
]);

function itemsOf(request: Readonly<Record<string, unknown>>): Item[] {
  const r = FileCase.parse(request);
  if (r.items) return r.items;
  const { subject: _s, description: _d, items: _i, ...single } = r;
  return [single];
}

/** Integer split of `total` over `n` items: equal parts, the remainder to the first item. */
export function splitTotal(total: number, n: number): number[] {
  const part = Math.floor(total / n);
  return Array.from({ length: n }, (_, i) => (i === 0 ? total - part * (n - 1) : part));
}

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


/** Amazon decided a case (approved or rejected): where Amazon would send a notification. */
export type OnDecision = (decided: { readonly caseId: string; readonly sellerId: string; readonly status: 'approved' | 'rejected' }) => void;

export function registerCases(app: FastifyInstance, options: GuardOptions & { readonly onDecision?: OnDecision | undefined }): void {
  const { state } = options;

  app.post('/cases', async (req, reply) => {
    const sellerId = guard(req, reply, options);
    if (!sellerId) return reply;
    const parsed = FileCase.safeParse(req.body);
    if (!parsed.success) return sendErrors(reply, 400, 'InvalidInput', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    if (parsed.data.items && (parsed.data.sku ?? parsed.data.fnsku ?? parsed.data.claim_type) !== undefined) {
      return sendErrors(reply, 400, 'InvalidInput', 'Send the item fields at the top level or in items, not both');
    }
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
    if (!parsed.success) return sendErrors(reply, 400, 'InvalidInput', 'Send {"approve":{"amount_minor","currency"}}, {"approve":{"items":[{"amount_minor"}],"currency"}} or {"reject":{"reason"}}');
    if (found.status !== 'open') return sendErrors(reply, 409, 'CaseAlreadyDecided', `Case ${found.case_id} is already ${found.status}`);
    const now = state.clock.now();
    if ('approve' in parsed.data) {
      const approve = parsed.data.approve;
      const items = itemsOf(found.request);
      const amounts = 'items' in approve ? approve.items.map((i) => i.amount_minor) : splitTotal(approve.amount_minor, items.length);
      if (amounts.length !== items.length) {
        return sendErrors(reply, 400, 'InvalidInput', `This case has ${items.length} items; send one amount per item`);
      }
      const lines = items.map((item, i) => {
        const reimbursementId = state.nextNumber(9_000_000_000);
        appendReimbursement(state, found, item, reimbursementId, amounts[i] ?? 0, approve.currency, now);
        // Each line names what it pays (order, shipment, SKU, units), as Amazon's report does.
        return {
          reimbursement_id: reimbursementId,
          sku: item.sku ?? '',
          fnsku: item.fnsku ?? '',
          order_id: item.order_id ?? '',
          shipment_id: item.shipment_id ?? '',
          quantity: item.quantity ?? 1,
          amount_minor: amounts[i] ?? 0,
        };
      });
      found.status = 'approved';
      const total = amounts.reduce((a, b) => a + b, 0);
      found.decision = { approved: { amount_minor: total, currency: approve.currency, reimbursement_id: lines[0]?.reimbursement_id ?? '', items: lines } };
    } else {
      found.status = 'rejected';
      found.decision = { rejected: { reason: parsed.data.reject.reason } };
    }
    found.updated_at = new Date(now).toISOString();
    options.onDecision?.({ caseId: found.case_id, sellerId: found.seller_id, status: found.status });
    return reply.send(view(found));
  });
}

function appendReimbursement(state: SimulatorState, c: SimCase, r: Item, reimbursementId: string, amountMinor: number, currency: string, now: number): void {
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
    'amount-per-unit': decimalAmount(Math.round(amountMinor / units), currency),
    'amount-total': decimalAmount(amountMinor, currency),
    'quantity-reimbursed-cash': String(units),
    'quantity-reimbursed-inventory': '0',
    'quantity-reimbursed-total': String(units),
    'original-reimbursement-id': '',
    'original-reimbursement-type': '',
  });
  state.addedReimbursements.set(c.seller_id, rows);
}
