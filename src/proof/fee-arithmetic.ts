// The fee arithmetic as the packet prints it, exactly: reimbursed x rate = exact product, then
// rounded half-up to the minor unit. Integer arithmetic only (BigInt), never a float.
import { formatMoney, minorDigits, money, percentOf, type Currency } from '../domain/money.js';

/** 2000 bp → "20.00%". */
export function formatRate(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const frac = String(bp % 100).padStart(2, '0');
  return `${whole}.${frac}%`;
}

/** minor × bp / 10000 written out in full ("9.922 USD" for 4961 cents at 20%). */
export function exactProduct(minor: number, bp: number, code: Currency): string {
  const product = BigInt(minor) * BigInt(bp); // in 1/10000 of a minor unit
  const sign = product < 0n ? '-' : '';
  const abs = (product < 0n ? -product : product).toString();
  const scale = minorDigits(code) + 4;
  const padded = abs.padStart(scale + 1, '0');
  let whole = padded.slice(0, padded.length - scale);
  let frac = padded.slice(padded.length - scale).replace(/0+$/, '');
  const digits = minorDigits(code);
  if (frac.length < digits) frac = frac.padEnd(digits, '0');
  if (!whole) whole = '0';
  return `${sign}${whole}${frac ? `.${frac}` : ''} ${code}`;
}

export interface FeeLine {
  readonly text: string;
  /** The fee recomputed from the reimbursed amount and rate; it must equal what was charged. */
  readonly recomputedMinor: number;
  readonly matches: boolean;
}

export function feeArithmetic(f: { reimbursedMinor: number; feeMinor: number; rateBp: number; currency: string }): FeeLine {
  const reimbursed = money(f.reimbursedMinor, f.currency);
  const recomputed = percentOf(reimbursed, f.rateBp);
  const fee = money(f.feeMinor, f.currency);
  const text = `${formatMoney(reimbursed)} x ${formatRate(f.rateBp)} = ${exactProduct(f.reimbursedMinor, f.rateBp, reimbursed.currency)}, rounded half-up to the minor unit: fee ${formatMoney(fee)}`;
  return { text, recomputedMinor: recomputed.minor, matches: recomputed.minor === f.feeMinor };
}

/** A claim's settled payouts in one currency, each part positive. */
export interface NetLine {
  readonly currency: string;
  readonly paidMinor: bigint;
  readonly reversedMinor: bigint;
  readonly feeMinor: bigint;
  readonly givenBackMinor: bigint;
}

/**
 * What a claim's settled payouts (fee_charges rows) come to per currency: reimbursed and taken back
 * by reversals, fees and fee given back. Net recovered is paid less reversed; net fee, fee less
 * given back. BigInt sums: nothing passes through a float.
 */
export function netOf(fees: ReadonlyArray<{ kind: 'charge' | 'refund'; reimbursedMinor: number; feeMinor: number; currency: string }>): NetLine[] {
  const by = new Map<string, { paidMinor: bigint; reversedMinor: bigint; feeMinor: bigint; givenBackMinor: bigint }>();
  for (const f of fees) {
    const n = by.get(f.currency) ?? { paidMinor: 0n, reversedMinor: 0n, feeMinor: 0n, givenBackMinor: 0n };
    if (f.kind === 'charge') {
      n.paidMinor += BigInt(f.reimbursedMinor);
      n.feeMinor += BigInt(f.feeMinor);
    } else {
      n.reversedMinor -= BigInt(f.reimbursedMinor);
      n.givenBackMinor -= BigInt(f.feeMinor);
    }
    by.set(f.currency, n);
  }
  return [...by.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, n]) => ({ currency, ...n }));
}
