// What a smart prompt asks the seller: exactly what the score says is missing, then "dismiss" for
// a claim the seller knows to be wrong. Pure.
import { formatMoneyForSeller } from '../domain/money.js';
import type { PromptAsk } from '../store/prompt-rows.js';
import type { ScorableClaim } from '../evidence/score-claim.js';

export function asksFor(claim: ScorableClaim, missing: readonly string[]): PromptAsk[] {
  const units = `${claim.quantity} unit${claim.quantity === 1 ? '' : 's'} of ${claim.sku ?? claim.fnsku ?? '?'}`;
  const worth = claim.amount ? ` (claim worth ${formatMoneyForSeller(claim.amount)})` : '';
  const asks: PromptAsk[] = [];
  for (const need of missing) {
    if (need === 'upload_invoice') {
      asks.push({ need, message: `Upload the supplier invoice for ${units}${worth}: it proves you owned them.` });
    } else if (need === 'upload_proof_of_delivery') {
      asks.push({ need, message: `Upload the carrier's proof of delivery for shipment ${claim.key.shipment_id ?? ''}`.trimEnd() + '.' });
    } else if (need === 'check_cost') {
      asks.push({
        need,
        message: `The invoice's unit cost differs from the cost Clario claims for ${claim.sku ?? claim.fnsku ?? 'this SKU'}: correct it in your costs file (Costs & receipts), or attach the invoice for these units. Clario files it once they agree.`,
      });
    } else if (need === 'confirm') {
      asks.push({ need, message: `Confirm the ${claim.type.replace(/_/g, ' ')} claim for ${units}${worth} is right.` });
    }
  }
  asks.push({ need: 'dismiss', message: 'Dismiss the claim if it is wrong.' });
  return asks;
}

/** The ask of a fee claim whose SKU the seller has not measured (need `measure`). */
export function measureAsk(claim: Pick<ScorableClaim, 'sku' | 'fnsku'>): PromptAsk {
  const sku = claim.sku ?? claim.fnsku ?? 'this SKU';
  return {
    need: 'measure',
    message:
      `Measure ${sku} as packed for shipping: length, width and height (cm or in) and weight (g, kg, oz or lb), ` +
      'with photos of it on the scale and beside a ruler. Amazon decides a fee dispute on its own measurement unless you send yours.',
  };
}
