// Money recovered per month as SVG bars, with the cumulative total as a line. The numbers are
// also in a table for screen readers; the chart itself is one labelled image.
import type { Amount } from '../lib/api.js';
import { formatMoney, formatMonth } from '../lib/format.js';

export interface MonthPoint {
  readonly month: string;
  readonly minor: number;
  readonly currency: string;
}

const W = 640;
const H = 220;
const PAD = { top: 16, right: 12, bottom: 4, left: 12 };
/** At most this many month labels, so "Dec 2026" never runs into "Jan 2027". */
const MAX_TICKS = 6;

export function RecoveredChart({ points }: { points: readonly MonthPoint[] }) {
  // One currency per chart: the one with the most recovered.
  const totals = new Map<string, number>();
  for (const p of points) totals.set(p.currency, (totals.get(p.currency) ?? 0) + p.minor);
  const currency = [...totals].sort((a, b) => b[1] - a[1])[0]?.[0];
  const series = points.filter((p) => p.currency === currency);
  // The other currencies are not added to this one: the caption names their totals instead.
  const others = [...totals].filter(([c]) => c !== currency).sort(([a], [b]) => (a < b ? -1 : 1));
  if (!currency || series.length === 0) {
    return <p className="muted empty-chart">Nothing recovered yet. Money shows here month by month as Amazon pays.</p>;
  }
  let running = 0;
  const cumulative = series.map((p) => (running += p.minor));
  const max = Math.max(...cumulative, 1);
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const step = innerW / series.length;
  const barW = Math.max(4, Math.min(48, step * 0.6));
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  const x = (i: number) => PAD.left + step * i + step / 2;
  const line = cumulative.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const total: Amount = { minor: running, currency };
  const tickEvery = Math.ceil(series.length / MAX_TICKS);
  const summary = `Recovered per month in ${currency}, ${series.length} month${series.length === 1 ? '' : 's'}, ${formatMoney(total)} in total.`;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} preserveAspectRatio="none">
        <line x1={PAD.left} x2={W - PAD.right} y1={PAD.top + innerH} y2={PAD.top + innerH} className="axis" />
        {series.map((p, i) => (
          <rect key={p.month} x={x(i) - barW / 2} y={y(p.minor)} width={barW} height={Math.max(1, PAD.top + innerH - y(p.minor))} className="bar" rx="2">
            <title>{`${formatMonth(p.month)}: ${formatMoney(p)}`}</title>
          </rect>
        ))}
        <path d={line} className="cumulative" fill="none" />
      </svg>
      {/* Month labels in HTML, not in the stretched SVG, so they keep their shape at any width. */}
      <div className="ticks" aria-hidden="true">
        {series.map((p, i) =>
          i % tickEvery === 0 ? (
            <span key={p.month} style={{ left: `${((x(i) / W) * 100).toFixed(2)}%` }}>
              {formatMonth(p.month)}
            </span>
          ) : null,
        )}
      </div>
      <figcaption>
        <span className="legend bar-key" aria-hidden="true" /> per month <span className="legend line-key" aria-hidden="true" /> cumulative ·{' '}
        {formatMoney(total)}
        {others.length > 0 && <span className="others">(chart in {currency}; also recovered {others.map(([c, minor]) => formatMoney({ minor, currency: c })).join(', ')})</span>}
      </figcaption>
      {/* The wrapper hides the table: a table ignores width: 1px and would widen a phone's page. */}
      <div className="sr-only">
        <table>
          <caption>{summary}</caption>
          <thead>
            <tr>
              <th scope="col">Month</th>
              <th scope="col">Recovered</th>
              <th scope="col">Cumulative</th>
            </tr>
          </thead>
          <tbody>
            {series.map((p, i) => (
              <tr key={p.month}>
                <td>{formatMonth(p.month)}</td>
                <td>{formatMoney(p)}</td>
                <td>{formatMoney({ minor: cumulative[i] ?? 0, currency })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
