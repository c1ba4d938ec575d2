// The success fee: a rate in basis points of the cash Amazon reimbursed on Clario's own case,
// rounded half-up to the currency's minor unit (percentOf works in minor units, so JPY's yen and
// KWD's fils round where they should). A reversal gives back the same rate of what Amazon took
// back, but never more than is left of the original fee.
import { money, percentOf, type Money } from './money.js';

/** 20% unless configured otherwise (FEE_RATE_BP). */
export const DEFAULT_FEE_RATE_BP = 2000;

/** The fee on a reimbursement; zero for a zero payout. */
export function feeOn(reimbursed: Money, rateBp: number): Money {
  if (reimbursed.minor < 0) throw new RangeError('a reimbursement is not negative; a negative payout is a reversal');
  return percentOf(reimbursed, rateBp);
}

/**
 * The credit a reversal earns the seller (a positive amount): the rate of what Amazon took back,
 * capped by what remains of the original fee after earlier credits.
 */
export function creditOn(reversed: Money, rateBp: number, original: { fee: Money; credited: Money }): Money {
  if (reversed.minor > 0) throw new RangeError('a reversal is negative (Amazon takes money back)');
  if (original.fee.currency !== reversed.currency || original.credited.currency !== reversed.currency) {
    throw new RangeError(`a reversal in ${reversed.currency} cannot credit a fee in ${original.fee.currency}`);
  }
  // Mirror first, then take the rate (negating the fee instead would turn a zero into -0).
  const mirrored = percentOf(money(Math.abs(reversed.minor), reversed.currency), rateBp).minor;
  const left = Math.max(0, original.fee.minor - original.credited.minor);
  return money(Math.min(mirrored, left), reversed.currency);
}
