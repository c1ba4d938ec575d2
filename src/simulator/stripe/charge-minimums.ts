// Stripe's "Minimum and maximum charge amounts" (docs.stripe.com/currencies), in minor units:
// a charge below it is refused as `amount_too_small`. The simulator keeps its own copy, written
// from Stripe's table and not from Clario's (src/billing/minimum-charge.ts), so that a wrong
// figure in the product shows up as a refused charge instead of being agreed with.
const MINIMUM_CHARGE_MINOR: Readonly<Record<string, number>> = {
  USD: 50, AED: 200, AUD: 50, BGN: 100, BRL: 50, CAD: 50, CHF: 50, CZK: 1500, DKK: 250, EUR: 50,
  GBP: 30, HKD: 400, HUF: 17500, INR: 50, JPY: 50, MXN: 1000, MYR: 200, NOK: 300, NZD: 50,
  PLN: 200, RON: 200, SEK: 300, SGD: 50, THB: 1000,
};

/** The currencies whose minimum the simulated Stripe enforces (upper case). */
export const MINIMUM_CHARGE_CURRENCIES: readonly string[] = Object.keys(MINIMUM_CHARGE_MINOR);

/** The smallest charge the simulated Stripe takes in this currency, in minor units. */
export function stripeMinimumCharge(currency: string): number {
  return MINIMUM_CHARGE_MINOR[currency.toUpperCase()] ?? 1;
}
