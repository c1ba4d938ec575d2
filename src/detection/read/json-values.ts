import type { Money } from '../../domain/money.js';
import { normalizeHeader } from './columns.js';
import { amount, currencyCode, integer, RowError, type dayParser } from './fields.js';
import type { Day } from '../types.js';

/**
 * Lenient accessors over parsed JSON elements (numbers arrive as their literal text). They throw
 * RowError, which the readers report with the element's line.
 */
export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A property by name, or by any spelling that normalizes the same (ShipmentId, shipmentId, shipment_id). */
export function prop(obj: JsonObject, name: string): unknown {
  if (obj[name] !== undefined) return obj[name];
  const want = normalizeHeader(name);
  for (const [k, v] of Object.entries(obj)) if (normalizeHeader(k) === want) return v;
  return undefined;
}

export function str(obj: JsonObject, name: string): string | undefined {
  const v = prop(obj, name);
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

export function requiredStr(obj: JsonObject, name: string): string {
  const v = str(obj, name);
  if (v === undefined) throw new RowError(`${name} is missing`);
  return v;
}

export function int(obj: JsonObject, name: string, whenMissing?: number): number {
  const v = prop(obj, name);
  if (v === undefined || v === null) {
    if (whenMissing !== undefined) return whenMissing;
    throw new RowError(`${name} is missing`);
  }
  return integer(typeof v === 'string' ? v.trim() : JSON.stringify(v), name);
}

export function list(obj: JsonObject, ...names: string[]): JsonObject[] {
  for (const name of names) {
    const v = prop(obj, name);
    if (Array.isArray(v)) return v.filter(isObject);
  }
  return [];
}

/** A Finances `Currency` object: {CurrencyCode, CurrencyAmount}. */
export function currencyAmount(value: unknown, name: string): Money {
  if (!isObject(value)) throw new RowError(`${name} is missing`);
  const code = currencyCode(str(value, 'CurrencyCode') ?? '', `${name}.CurrencyCode`);
  const text = prop(value, 'CurrencyAmount');
  return amount(typeof text === 'string' ? text.trim() : '', code, `${name}.CurrencyAmount`);
}

export function postedDay(parse: ReturnType<typeof dayParser>, obj: JsonObject): Day {
  return parse(str(obj, 'PostedDate') ?? '', 'PostedDate');
}
