/**
 * Amounts as Amazon's reports write them: a decimal in the currency's major unit ("12.34" USD,
 * "1234" JPY). The simulator's own arithmetic, not Clario's money module, so a mistake in the
 * product's formatting or parsing is not mirrored here.
 */
const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/** An upper-case ISO 4217 code this runtime knows. */
export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && CURRENCIES.has(code);
}

// Building an Intl.NumberFormat costs tens of microseconds: once per currency, not per amount.
const DIGITS = new Map<string, number>();

/** The currency's minor digits (USD 2, JPY 0, KWD 3, from ICU). */
export function minorDigits(currency: string): number {
  let digits = DIGITS.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    DIGITS.set(currency, digits);
  }
  return digits;
}

/** Minor units as a decimal with the currency's digits. */
export function decimalAmount(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  const padded = Math.abs(minor).toString().padStart(digits + 1, '0');
  const whole = digits === 0 ? padded : padded.slice(0, -digits);
  return `${minor < 0 ? '-' : ''}${whole}${digits === 0 ? '' : `.${padded.slice(-digits)}`}`;
}
