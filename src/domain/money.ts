/**
 * Money is an integer number of minor units (cents) and an ISO 4217 currency. Never a float.
 * `minor` stays within Number.MAX_SAFE_INTEGER (9e15 cents is far beyond any seller's claims).
 */
export interface Money {
  readonly minor: number;
  readonly currency: Currency;
}

declare const currencyBrand: unique symbol;
/** An upper-case ISO 4217 code that this runtime knows. */
export type Currency = string & { readonly [currencyBrand]: true };

const KNOWN_CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

export function isCurrency(code: string): code is Currency {
  return /^[A-Z]{3}$/.test(code) && KNOWN_CURRENCIES.has(code);
}

export function currency(code: string): Currency {
  if (!isCurrency(code)) throw new RangeError(`not an ISO 4217 currency: ${JSON.stringify(code)}`);
  return code;
}

// Building an Intl.NumberFormat costs microseconds: with one per amount parsed it was the largest
// share of detection's time over a big ledger. The answer never changes for a currency.
const minorDigitsOf = new Map<string, number>();

/** How many minor units a major unit has (USD 2, JPY 0, KWD 3), from the runtime's ICU data. */
export function minorDigits(code: Currency): number {
  let digits = minorDigitsOf.get(code);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
    minorDigitsOf.set(code, digits);
  }
  return digits;
}

export function money(minor: number, code: string): Money {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`minor units must be a safe integer, got ${minor}`);
  return Object.freeze({ minor, currency: currency(code) });
}

export function zero(code: Currency): Money {
  return money(0, code);
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new RangeError(`currency mismatch: ${a.currency} and ${b.currency}`);
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.minor + b.minor, a.currency);
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.minor - b.minor, a.currency);
}

export function multiply(a: Money, units: number): Money {
  if (!Number.isSafeInteger(units)) throw new RangeError(`units must be an integer, got ${units}`);
  return money(a.minor * units, a.currency);
}

/**
 * `basisPoints`/10000 of an amount, rounded half-up (away from zero for negatives, so a reversal
 * mirrors its charge exactly). Integer arithmetic throughout: 20% is 2000 bp.
 */
export function percentOf(a: Money, basisPoints: number): Money {
  if (!Number.isSafeInteger(basisPoints) || basisPoints < 0) {
    throw new RangeError(`basis points must be a non-negative integer, got ${basisPoints}`);
  }
  const product = BigInt(a.minor) * BigInt(basisPoints);
  const sign = product < 0n ? -1n : 1n;
  const abs = product * sign;
  const rounded = (abs + 5000n) / 10000n;
  return money(Number(rounded * sign), a.currency);
}

/**
 * Parses a decimal amount as written in Amazon's reports and sellers' files ("12.40", "-3.5",
 * "1,234.56" is refused: ambiguous) into minor units without going through a float.
 */
export function parseDecimal(text: string, code: Currency): Money | undefined {
  const m = /^\s*([+-]?)(\d+)(?:\.(\d*))?\s*$/.exec(text);
  if (!m) return undefined;
  const digits = minorDigits(code);
  const [, sign = '', whole = '0', fractionRaw = ''] = m;
  let fraction = fractionRaw;
  // Round half-up on the first dropped digit; amounts in reports rarely carry more digits.
  let roundUp = false;
  if (fraction.length > digits) {
    roundUp = Number(fraction[digits]) >= 5;
    fraction = fraction.slice(0, digits);
  }
  const minorText = whole + fraction.padEnd(digits, '0');
  let minor = BigInt(minorText) + (roundUp ? 1n : 0n);
  if (sign === '-') minor = -minor;
  if (minor > BigInt(Number.MAX_SAFE_INTEGER) || minor < -BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return money(Number(minor), code);
}

/**
 * "$2,552.00": money in what Clario writes to the seller (smart prompts, who a claim waits for), as
 * the dashboard shows it beside (en-US: "$", "CA$", "€", "£"). Exact: the decimal is formatted from
 * its digits, never through a float. Text for Amazon, logs and proof packets keeps formatMoney.
 */
export function formatMoneyForSeller(a: Money): string {
  const digits = minorDigits(a.currency);
  try {
    const nf = new Intl.NumberFormat('en-US', { style: 'currency', currency: a.currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    // A decimal string is formatted exactly (Intl.NumberFormat v3); the type says number | bigint.
    return nf.format(decimalOf(a) as unknown as number);
  } catch {
    return formatMoney(a);
  }
}

/** "-2552.00" from -255200 USD: the amount's decimal digits, exact. */
function decimalOf(a: Money): string {
  const digits = minorDigits(a.currency);
  const sign = a.minor < 0 ? '-' : '';
  const abs = Math.abs(a.minor).toString().padStart(digits + 1, '0');
  return digits === 0 ? `${sign}${abs}` : `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
}

/** "12.40 USD": exact, for logs, claim texts and proof packets. */
export function formatMoney(a: Money): string {
  const digits = minorDigits(a.currency);
  const sign = a.minor < 0 ? '-' : '';
  const abs = Math.abs(a.minor).toString().padStart(digits + 1, '0');
  const whole = digits === 0 ? abs : abs.slice(0, -digits);
  const fraction = digits === 0 ? '' : `.${abs.slice(-digits)}`;
  return `${sign}${whole}${fraction} ${a.currency}`;
}

/**
 * A sum of minor units as the database returns it (numeric or bigint, read as text), as a number
 * when it is exactly representable; a sum beyond Number.MAX_SAFE_INTEGER is an error, never a
 * silently rounded figure.
 */
export function safeMinor(value: string | number | bigint | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const exact = typeof value === 'bigint' ? value : BigInt(typeof value === 'number' ? (Number.isSafeInteger(value) ? value : Number.NaN) : value.trim());
  if (exact > BigInt(Number.MAX_SAFE_INTEGER) || exact < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`a sum of ${exact} minor units is beyond what this service represents exactly`);
  }
  return Number(exact);
}
