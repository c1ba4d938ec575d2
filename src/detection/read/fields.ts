import { isCurrency, parseDecimal, type Currency, type Money } from '../../domain/money.js';
import { parseDay } from '../days.js';
import type { Day } from '../types.js';

/**
 * Cell parsers for the readers. Each throws a RowError with a message naming the column, which
 * the reader turns into a diagnostic for the line and skips the row.
 */
export class RowError extends Error {
  override readonly name = 'RowError';
}

const INTEGER = /^[+-]?\d+$/;

export function cell(fields: readonly string[], index: number): string {
  return index < 0 ? '' : (fields[index] ?? '').trim();
}

export function text(value: string, column: string): string {
  if (value === '') throw new RowError(`${column} is empty`);
  return value;
}

export function optional(value: string): string | undefined {
  return value === '' ? undefined : value;
}

export function integer(value: string, column: string, whenEmpty?: number): number {
  if (value === '' && whenEmpty !== undefined) return whenEmpty;
  if (!INTEGER.test(value)) throw new RowError(`${column} is not an integer: ${JSON.stringify(value)}`);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RowError(`${column} is out of range: ${value}`);
  return n;
}

/** A number of units that cannot be below zero (shipped, returned, requested…). */
export function count(value: string, column: string, whenEmpty?: number): number {
  const n = integer(value, column, whenEmpty);
  if (n < 0) throw new RowError(`${column} is negative: ${n}`);
  return n;
}

/** An integer in a column that may be empty or absent: undefined then, never a made-up zero. */
export function optionalInteger(value: string, column: string): number | undefined {
  return value === '' ? undefined : integer(value, column);
}

export function currencyCode(value: string, column: string): Currency {
  const code = value.toUpperCase();
  if (!isCurrency(code)) throw new RowError(`${column} is not a currency code: ${JSON.stringify(value)}`);
  return code;
}

export function amount(value: string, currency: Currency, column: string): Money {
  const m = parseDecimal(value, currency);
  if (!m) throw new RowError(`${column} is not a number: ${JSON.stringify(value)}`);
  return m;
}

/** Reuses the previous answer: a ledger lists thousands of rows of one day in a row. */
export function dayParser(): (value: string, column: string) => Day {
  let lastText = '';
  let lastDay: Day = 0;
  return (value, column) => {
    if (value === lastText && lastText !== '') return lastDay;
    const day = parseDay(value);
    if (day === undefined) throw new RowError(`${column} is not a possible date: ${JSON.stringify(value)}`);
    lastText = value;
    lastDay = day;
    return day;
  };
}
