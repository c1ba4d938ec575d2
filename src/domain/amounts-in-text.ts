// Money written in free text, the way Amazon's agents and sellers write it: "$12.34", "USD 12.34",
// "12,34 €", "£5.00", "1.234,56 EUR", "CA$ 1,234.50", "¥1,200". Pure; never through a float.
//
// The currency comes from a symbol or an ISO code beside the number; a number with neither is not
// an amount (a quantity, an id, a date). The decimal separator is read from the number itself:
// the last "." or "," is decimal when it has at most the currency's minor digits after it and is
// not a run of three-digit groups ("1,234" in dollars is a thousand and more, "12,34" is twelve).
import { isCurrency, minorDigits, money, type Currency, type Money } from './money.js';

/**
 * Symbols, longest first so "CA$" is not read as "$". A bare "$" is the US dollar (Amazon.com's)
 * unless the reader knows the text is about another dollar (an Amazon.ca agent writes "$55.99").
 */
const SYMBOLS: ReadonlyArray<readonly [string, string]> = [
  ['US$', 'USD'],
  ['CA$', 'CAD'],
  ['C$', 'CAD'],
  ['AU$', 'AUD'],
  ['A$', 'AUD'],
  ['MX$', 'MXN'],
  ['R$', 'BRL'],
  ['S$', 'SGD'],
  ['$', 'USD'],
  ['€', 'EUR'],
  ['£', 'GBP'],
  ['¥', 'JPY'],
  ['₹', 'INR'],
  ['zł', 'PLN'],
  ['kr', 'SEK'],
];

const escape = (s: string) => s.replace(/[$.*+?^(){}[\]|\\]/g, '\\$&');
const SYMBOL = SYMBOLS.map(([s]) => escape(s)).join('|');
// Only the currencies of Amazon's marketplaces: any three capitals would read "ALL 3 units" as lek.
const CODES = ['USD', 'CAD', 'MXN', 'BRL', 'GBP', 'EUR', 'SEK', 'PLN', 'TRY', 'AED', 'SAR', 'EGP', 'INR', 'JPY', 'AUD', 'SGD', 'ZAR'];
const CODE = CODES.join('|');
// Digits with group separators (",", ".", apostrophe, no-break and thin spaces) and one decimal part.
const NUMBER = String.raw`\d{1,3}(?:[,.'\u00a0\u202f ]\d{3})+(?:[.,]\d{1,3})?|\d+(?:[.,]\d{1,3})?`;
const GAP = String.raw`[ \u00a0\u202f]?`;
// Not inside a word or another number ("$12.3456" is not "$12", "SKU12 USD" is no amount).
const BEFORE = String.raw`(?<![\w$€£¥₹]|\d[.,])`;
const AFTER = String.raw`(?![\w$€£¥₹]|[.,]\d)`;

// Currency before the number ("$12.34", "USD 12.34", "-€3,50"), or after it ("12,34 €", "12.34 USD").
const AMOUNT = new RegExp(
  String.raw`${BEFORE}(?:(?<sign1>-)?(?<pre>${SYMBOL}|${CODE})${GAP}(?<sign2>-)?(?<preNum>${NUMBER})|(?<sign3>-)?(?<postNum>${NUMBER})${GAP}(?<post>${SYMBOL}|${CODE}))${AFTER}`,
  'g',
);

export interface AmountInText {
  readonly money: Money;
  /** Where the amount starts and ends in the text. */
  readonly index: number;
  readonly end: number;
}

/** The currencies a bare "$" is written for in their own marketplace. */
const DOLLARS: ReadonlySet<string> = new Set(['USD', 'CAD', 'AUD', 'MXN', 'SGD']);

export interface AmountsOptions {
  /** The currency the text is about (a case's claims): a bare "$" is it when it is a dollar. */
  readonly about?: Currency | null | undefined;
}

function currencyOf(written: string, o: AmountsOptions): Currency | undefined {
  if (written === '$' && o.about && DOLLARS.has(o.about)) return o.about;
  const symbol = SYMBOLS.find(([s]) => s === written);
  const code = symbol ? symbol[1] : written;
  return isCurrency(code) ? code : undefined;
}

/** The number's minor units, or undefined when its separators do not read as one amount. */
export function minorUnits(number: string, code: Currency): bigint | undefined {
  const digits = minorDigits(code);
  // Spaces and apostrophes only ever group digits; the regex already checked their groups of three.
  const n = number.replace(/[\u00a0\u202f ']/g, '');
  const separators = n.match(/[.,]/g) ?? [];
  const last = Math.max(n.lastIndexOf('.'), n.lastIndexOf(','));
  const after = n.slice(last + 1);
  let decimal: string | undefined;
  if (separators.length === 0) decimal = undefined;
  else if (new Set(separators).size === 2) {
    // "1,234.56", "1.234,56": the last is the decimal one, every other the group one.
    if (separators.slice(0, -1).some((s) => s === n[last])) return undefined;
    decimal = after;
  } else if (separators.length > 1) {
    // "1,234,567": groups only; "1,234,56" mixes groups and a decimal part in one character.
    if (after.length !== 3) return undefined;
  } else if (!(after.length === 3 && digits !== 3)) {
    // One separator: "12,34" or "12.5" is decimal; "1,234" in a two-digit currency is a group.
    decimal = after;
  }
  if (decimal !== undefined && decimal.length > digits) return undefined;
  const whole = decimal === undefined ? n : n.slice(0, last);
  return BigInt(whole.replace(/[.,]/g, '') + (decimal ?? '').padEnd(digits, '0'));
}

/** Every amount written in the text, in order. */
export function amountsIn(text: string, o: AmountsOptions = {}): AmountInText[] {
  const found: AmountInText[] = [];
  for (const m of text.matchAll(AMOUNT)) {
    const g = m.groups ?? {};
    const code = currencyOf(g.pre ?? g.post ?? '', o);
    const number = g.preNum ?? g.postNum;
    if (!code || !number) continue;
    const minor = minorUnits(number, code);
    if (minor === undefined || minor > BigInt(Number.MAX_SAFE_INTEGER)) continue;
    const sign = (g.sign1 ?? g.sign2 ?? g.sign3) === '-' ? -1 : 1;
    found.push({ money: money(sign * Number(minor), code), index: m.index, end: m.index + m[0].length });
  }
  return found;
}
