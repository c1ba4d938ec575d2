// Stripe refuses a charge below a per-currency minimum (`amount_too_small`); a fee that small is
// not sent, it stays owed ('deferred'). Minimums in minor units, from Stripe's table of
// "Minimum and maximum charge amounts" (docs.stripe.com/currencies). A currency missing here is
// sent and Stripe decides.
import type { Money } from '../domain/money.js';

export const STRIPE_MINIMUM_CHARGE_MINOR: Readonly<Record<string, number>> = {
  USD: 50, AED: 200, AUD: 50, BGN: 100, BRL: 50, CAD: 50, CHF: 50, CZK: 1500, DKK: 250, EUR: 50,
  GBP: 30, HKD: 400, HUF: 17500, INR: 50, JPY: 50, MXN: 1000, MYR: 200, NOK: 300, NZD: 50,
  PLN: 200, RON: 200, SEK: 300, SGD: 50, THB: 1000,
};

/** The smallest amount Stripe charges in this currency, in minor units (1 when not listed). */
export function minimumCharge(currency: string): number {
  return STRIPE_MINIMUM_CHARGE_MINOR[currency.toUpperCase()] ?? 1;
}

/** Whether Stripe would take this fee as a charge of its own. */
export function chargeable(fee: Money): boolean {
  return fee.minor >= minimumCharge(fee.currency);
}
