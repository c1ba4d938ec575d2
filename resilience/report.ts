// The report: one JSON document with every scenario's figures, and a short table for people.
import { cpus } from 'node:os';
import type { ScenarioResult } from './scenario.js';

export interface Report {
  readonly when: string;
  readonly machine: { readonly cpus: number; readonly node: string };
  readonly scale: number;
  readonly scenarios: readonly ScenarioResult[];
  readonly ok: boolean;
}

export function buildReport(scale: number, scenarios: readonly ScenarioResult[]): Report {
  return {
    when: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    scale,
    scenarios,
    ok: scenarios.every((s) => s.violations.length === 0),
  };
}

/** The one or two figures that matter most for each scenario, as a line of the table. */
function headline(s: ScenarioResult): string {
  const f = s.figures as Record<string, any>;
  const dup = (d: any) => (d ? `dup cases ${d.cases}, dup fees ${d.fees}` : '');
  switch (s.name) {
    case 'crash':
      return `${f.workflows_completed}/${f.workflows} workflows, ${f.kills} kills, lost ${f.transitions_lost}, ${dup(f.effects_duplicated)}, recover p50 ${f.time_to_recover_ms?.p50} ms max ${f.time_to_recover_ms?.max} ms`;
    case 'restart':
      return `${f.workflows_completed}/${f.workflows} workflows, lost ${f.transitions_lost}, ${dup(f.effects_duplicated)}, redis killed with ${f.redis?.jobs_lost} jobs→progress ${f.redis?.recover_ms} ms, postgres stopped with ${f.postgres?.in_flight_at_stop} events in flight→${f.postgres?.recover_ms} ms`;
    case 'storm':
      return `${f.workflows_completed}/${f.workflows} workflows, ${f.triggers_sent?.accepted} accepted + ${f.triggers_sent?.duplicate} duplicates, ${dup(f.effects_duplicated)}, ${f.early_events_waited} early events waited`;
    case 'bad-input':
      return `${f.requests} requests: ${f.status_2xx} 2xx, ${f.status_4xx} 4xx, ${f.status_5xx} 5xx, ${f.crashes} crashes`;
    case 'auth-matrix':
      return `${f.endpoints} endpoints × ${f.callers} callers = ${f.checks} checks, ${f.mismatches?.length ?? 0} mismatches`;
    case 'load':
      return `highest rate held ${f.highest_rate_held} req/s (p99 ${f.p99_at_highest_ms} ms, errors ${f.error_rate_at_highest})`;
    default:
      return '';
  }
}

export function formatTable(r: Report): string {
  const rows = r.scenarios.map((s) => [s.name, s.violations.length === 0 ? 'ok' : `FAIL (${s.violations.length})`, `${s.seconds}s`, headline(s)]);
  const header = ['scenario', 'result', 'time', 'figures'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  const failures = r.scenarios.flatMap((s) => s.violations.map((v) => `  ${s.name}: ${v}`));
  return [line(header), ...rows.map(line), ...(failures.length ? ['', 'violations:', ...failures] : [])].join('\n');
}
