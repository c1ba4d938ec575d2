import { formatMoney, type Money } from '../domain/money.js';
import { plural } from '../domain/plural.js';
import { SOURCE_FILES } from './read/folder.js';
import type { DetectionSummary } from './summary.js';
import type { Claim, Diagnostic } from './types.js';

/** One claim as a JSON line, fields in DETECTION.md's order. */
export function claimToJsonLine(claim: Claim): string {
  return JSON.stringify(claim);
}

export function formatDiagnostic(d: Diagnostic): string {
  return d.line > 0 ? `${d.file}:${d.line}: ${d.message}` : `${d.file}: ${d.message}`;
}

function moneyList(values: readonly Money[]): string {
  return values.length === 0 ? 'no known value' : values.map(formatMoney).join(' + ');
}

function keyLabel(claim: Claim): string {
  return Object.entries(claim.key)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
}

/** A readable table of claims, columns aligned, one claim per line (for --format table). */
export function formatClaimsTable(claims: readonly Claim[]): string {
  const header = ['DEADLINE', 'STATUS', 'TYPE', 'SKU', 'QTY', 'AMOUNT', 'KEY'];
  const rows = claims.map((c) => [
    c.deadline,
    c.status,
    c.type,
    c.sku,
    String(c.quantity),
    c.amount ? formatMoney(c.amount) + (c.valuation ? ' (est.)' : '') : 'unknown',
    keyLabel(c),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = new Set([4, 5]);
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : numeric.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const body = rows.length === 0 ? ['(no claims)'] : rows.map(line);
  return [line(header), ...body].join('\n') + '\n';
}

/** The summary for stderr: rows read per file, claims per type and status, value per currency. */
export function formatSummary(s: DetectionSummary): string {
  const out: string[] = [`detection as of ${s.asOf}`];
  out.push('files:');
  for (const f of s.files) {
    const state = f.unusable ? `not used (${f.unusable})` : `${plural(f.rows, 'row')} read${f.skipped ? `, ${f.skipped} skipped` : ''}`;
    out.push(`  ${f.file}: ${state}`);
  }
  out.push('claims:');
  for (const t of s.types) {
    const count = t.eligible + t.pending + t.expired;
    const unvalued = t.unvalued ? `, ${t.unvalued} of unknown value` : '';
    out.push(`  ${t.type}: ${count} (${t.eligible} eligible, ${t.pending} pending, ${t.expired} expired), ${moneyList(t.value)}${unvalued}`);
  }
  for (const n of s.notLookedFor) {
    const missing = n.missing.map((m) => (typeof m === 'string' ? SOURCE_FILES[m] : m.map((x) => SOURCE_FILES[x]).join(' or '))).join(', ');
    out.push(`  ${n.type}: not looked for (needs ${missing})`);
  }
  const t = s.total;
  out.push(`total: ${plural(t.claims, 'claim')} (${t.eligible} eligible, ${t.pending} pending, ${t.expired} expired), ${moneyList(t.value)}; eligible now ${moneyList(t.eligibleValue)}`);
  if (s.diagnostics > 0) out.push(`${plural(s.diagnostics, 'problem')} reported above`);
  return out.join('\n') + '\n';
}
