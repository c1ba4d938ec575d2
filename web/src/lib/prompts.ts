// Smart prompts as the page shows them: the most pressing first, a page at a time, and for each
// prompt exactly the buttons its asks call for. Pure.
import type { Amount } from './format.js';

export interface PromptAsk {
  readonly need: string;
  readonly message: string;
}

export interface PromptForOrder {
  readonly id: string;
  readonly created_at: string;
  readonly asks: readonly PromptAsk[];
  readonly claim: { readonly deadline: string | null; readonly amount: Amount | null } | null;
}

/** The kinds of document the upload endpoint takes (POST /api/v1/evidence `kind`). */
export type UploadKind = 'invoice' | 'proof_of_delivery';

/** Each upload need, the document it asks for and its button's words. */
const UPLOADS: Record<string, { kind: UploadKind; label: string }> = {
  upload_invoice: { kind: 'invoice', label: 'Upload an invoice' },
  upload_proof_of_delivery: { kind: 'proof_of_delivery', label: 'Upload proof of delivery' },
};

/** One upload button per document the prompt asks for, in the order asked. */
export function uploadsFor(asks: readonly PromptAsk[]): Array<{ kind: UploadKind; label: string }> {
  const out: Array<{ kind: UploadKind; label: string }> = [];
  for (const a of asks) {
    const u = UPLOADS[a.need];
    if (u && !out.some((x) => x.kind === u.kind)) out.push(u);
  }
  return out;
}

/** "Confirm" is offered only when the prompt asks for a confirmation (a re-prompt after a rejection asks for a document only). */
export const asksToConfirm = (asks: readonly PromptAsk[]) => asks.some((a) => a.need === 'confirm');

/**
 * Nearest deadline first (none last), a deadline already passed after all of them (nothing can be
 * filed for it any more; the next sync expires the claim); at the same deadline the larger claim first. Amounts in
 * different currencies are not compared: they group by currency code, and a claim of unknown value
 * comes after those with one. Then the oldest prompt, then the id, so the order is total.
 */
export function orderPrompts<P extends PromptForOrder>(prompts: readonly P[], today: string): P[] {
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...prompts].sort((a, b) => {
    const byPassed = Number(deadlinePassed(a, today)) - Number(deadlinePassed(b, today));
    if (byPassed) return byPassed;
    const byDeadline = text(a.claim?.deadline ?? '9999-12-31', b.claim?.deadline ?? '9999-12-31');
    if (byDeadline) return byDeadline;
    const va = a.claim?.amount;
    const vb = b.claim?.amount;
    if (va && !vb) return -1;
    if (vb && !va) return 1;
    if (va && vb) {
      const byCurrency = text(va.currency, vb.currency);
      if (byCurrency) return byCurrency;
      if (va.minor !== vb.minor) return vb.minor - va.minor;
    }
    return text(a.created_at, b.created_at) || text(a.id, b.id);
  });
}

/** The claim's deadline is before `today` (YYYY-MM-DD, UTC): too late to file. */
export const deadlinePassed = (p: PromptForOrder, today: string) => p.claim?.deadline != null && p.claim.deadline < today;

/** Today as YYYY-MM-DD in UTC, the calendar deadlines are kept in. */
export const todayUtc = (now = new Date()) => now.toISOString().slice(0, 10);

/** How many prompts the page shows at first, and how many more each "Show more" adds. */
export const PROMPTS_PER_PAGE = 10;

/** A fee claim's prompt asks the seller to measure the SKU (dimensions, weight, photos). */
export const asksToMeasure = (asks: readonly PromptAsk[]) => asks.some((a) => a.need === 'measure');

/** The measurement form as typed: text, as the inputs hold it. */
export interface MeasurementDraft {
  readonly length: string;
  readonly width: string;
  readonly height: string;
  readonly dimensionUnit: 'cm' | 'in';
  readonly weight: string;
  readonly weightUnit: 'g' | 'kg' | 'oz' | 'lb';
}

/**
 * The `measurements` of a `measure` answer, or what to fix first. Only the obvious is checked here
 * (filled in, a positive number); the service checks bounds and decimals and says which field is off.
 */
export function measurementsBody(d: MeasurementDraft): { ok: true; value: Record<string, number | string> } | { ok: false; message: string } {
  const fields = [
    ['length', d.length],
    ['width', d.width],
    ['height', d.height],
    ['weight', d.weight],
  ] as const;
  const value: Record<string, number | string> = { dimension_unit: d.dimensionUnit, weight_unit: d.weightUnit };
  for (const [name, text] of fields) {
    const n = Number(text.trim().replace(',', '.'));
    if (text.trim() === '' || !Number.isFinite(n) || n <= 0) return { ok: false, message: `Enter the ${name} as a number above 0.` };
    value[name] = n;
  }
  return { ok: true, value };
}

/** How the seller answered a prompt. */
export type AnswerAction = 'confirm' | 'upload' | 'dismiss' | 'measure';

const ANSWERED: Record<AnswerAction, string> = { confirm: 'thanks, answered', upload: 'thanks, answered with your document', dismiss: 'dismissed', measure: 'thanks, measured' };

/**
 * What the page says once a prompt is answered, in plain words: what happens to the claim now,
 * and when Clario still needs something (the claim is prompted again), what that is: the new
 * prompt's asks (`nextAsks`). `waiting` is who the claim waits for, as its page says it.
 */
export function answerSaid(o: { claim: string; action: AnswerAction; status: string; nextAsks?: readonly PromptAsk[] | null; waiting?: string | null }): string {
  const done = `${o.claim}: ${ANSWERED[o.action]}`;
  switch (o.status) {
    case 'dismissed':
      return `${done} — Clario will not file this claim.`;
    case 'ready':
      return `${done} — Clario files the claim in its next filing slot.`;
    case 'prompted': {
      const asks = (o.nextAsks ?? []).filter((a) => a.need !== 'dismiss').map((a) => a.message.charAt(0).toLowerCase() + a.message.slice(1));
      return asks.length ? `${done} — Clario still needs: ${asks.join(' ')}` : `${done} — Clario still has a question about this claim: see its prompt.`;
    }
    default:
      return o.waiting ? `${done} — ${o.waiting}` : `${done} — the claim is now ${o.status.replace(/_/g, ' ')}.`;
  }
}
