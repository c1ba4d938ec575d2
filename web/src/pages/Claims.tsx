// Every claim: filter by status and type, sort by deadline, value or confidence, a page at a time.
// The filters are in the address (?status=&type=&sort=&order=): the back button from a claim, a
// reload or a shared link shows the same table.
import { useEffect, useState } from 'react';
import { CLAIM_STATUSES, filtersOf, queryOf, type ClaimsFilters, type Sort } from '../lib/claims-query.js';
import type { ClaimJson } from '../../../src/http/claim-json.js';
import { get, qs } from '../lib/api.js';
import { count, formatDate, formatMoney, formatPercent, label } from '../lib/format.js';
import { navigate, onLinkClick, useSearch } from '../lib/router.js';
import { Badge } from '../components/Status.js';

/** A row of the claims table: the server's own view of a claim (src/http/claim-json.ts). */
export type ClaimRow = ClaimJson;

const STATUSES = CLAIM_STATUSES;
const SORTS = [
  // The page opens on this: what the seller can act on, nearest deadline first; expired claims last.
  ['action:asc', 'Needs you first, then deadline'],
  ['deadline:asc', 'Deadline, soonest first'],
  ['deadline:desc', 'Deadline, latest first'],
  ['value:desc', 'Value, highest first'],
  ['value:asc', 'Value, lowest first'],
  ['confidence:desc', 'Confidence, highest first'],
  ['confidence:asc', 'Confidence, lowest first'],
] as const;
const COLUMNS: Array<{ key: string; title: string; sort?: Sort; numeric?: boolean }> = [
  { key: 'type', title: 'Type' },
  { key: 'units', title: 'Units', numeric: true },
  { key: 'value', title: 'Value', sort: 'value', numeric: true },
  { key: 'confidence', title: 'Confidence', sort: 'confidence', numeric: true },
  { key: 'status', title: 'Status' },
  { key: 'deadline', title: 'Deadline', sort: 'deadline' },
];

export function ClaimsPage() {
  const search = useSearch();
  const filters = filtersOf(search);
  const { status, type, sort, order } = filters;
  // A change of filter replaces this history entry: Back leaves the table, with its filters kept.
  const setFilters = (change: Partial<ClaimsFilters>) => navigate(`/claims${queryOf({ ...filters, ...change })}`, true);
  const setStatus = (v: string) => setFilters({ status: v });
  const setType = (v: string) => setFilters({ type: v });
  const [rows, setRows] = useState<ClaimRow[]>([]);
  const [types, setTypes] = useState<string[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'error'>('loading');
  const [error, setError] = useState('');

  const fetchPage = (cursor: string | null) =>
    get<{ claims: ClaimRow[]; next_cursor: string | null; types?: string[] }>(`/api/v1/claims${qs({ status, type, sort, order, limit: 50, cursor })}`);

  useEffect(() => {
    let live = true;
    setState('loading');
    void fetchPage(null).then((r) => {
      if (!live) return;
      if (!r.ok) {
        setState('error');
        setError(r.message);
        return;
      }
      setRows(r.data.claims);
      setNext(r.data.next_cursor);
      if (r.data.types) setTypes((t) => [...new Set([...t, ...(r.data.types ?? [])])].sort());
      setState('ready');
    });
    return () => {
      live = false;
    };
  }, [status, type, sort, order]);

  const more = () => {
    if (!next) return;
    void fetchPage(next).then((r) => {
      if (r.ok) {
        setRows((x) => [...x, ...r.data.claims]);
        setNext(r.data.next_cursor);
      }
    });
  };

  const sortBy = (s: Sort) => {
    if (s === sort) setFilters({ order: order === 'asc' ? 'desc' : 'asc' });
    else setFilters({ sort: s, order: s === 'deadline' ? 'asc' : 'desc' });
  };

  return (
    <main id="main" className="page">
      <h1 tabIndex={-1}>Claims</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter claims">
        <div>
          <label htmlFor="f-status">Status</label>
          <select id="f-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">All</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {label(s)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-type">Type</label>
          <select id="f-type" value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">All</option>
            {(type && !types.includes(type) ? [...types, type].sort() : types).map((t) => (
              <option key={t} value={t}>
                {label(t)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-sort">Sort by</label>
          <select
            id="f-sort"
            value={`${sort}:${order}`}
            onChange={(e) => {
              const [s, o] = e.target.value.split(':') as [Sort, 'asc' | 'desc'];
              setFilters({ sort: s, order: o });
            }}
          >
            {SORTS.map(([value, name]) => (
              <option key={value} value={value}>
                {name}
              </option>
            ))}
          </select>
        </div>
      </form>
      <p className="sr-only" role="status" aria-live="polite">
        {state === 'ready'
          ? `${next ? `${rows.length}+ claims` : count(rows.length, 'claim')}, ${sort === 'action' ? 'what needs you first' : `sorted by ${sort} ${order === 'asc' ? 'ascending' : 'descending'}`}`
          : ''}
      </p>
      {state === 'error' && (
        <p className="error" role="alert">
          Could not load claims: {error}
        </p>
      )}
      <div className="table-wrap" aria-busy={state === 'loading'}>
        <table className="claims">
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th
                  key={c.key}
                  scope="col"
                  className={c.numeric ? 'num' : undefined}
                  aria-sort={c.sort && c.sort === sort ? (order === 'asc' ? 'ascending' : 'descending') : undefined}
                >
                  {c.sort ? (
                    <button type="button" className="sort" onClick={() => sortBy(c.sort as Sort)}>
                      {c.title}
                      <span aria-hidden="true">{c.sort === sort ? (order === 'asc' ? ' ▲' : ' ▼') : ' ↕'}</span>
                    </button>
                  ) : (
                    c.title
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id}>
                <td data-label="Type">
                  <a href={`/claims/${encodeURIComponent(c.id)}`} onClick={onLinkClick}>
                    {label(c.type)}
                  </a>
                </td>
                <td data-label="Units" className="num">
                  {c.quantity ?? '—'}
                </td>
                <td data-label="Value" className="num">
                  {formatMoney(c.amount)}
                </td>
                <td data-label="Confidence" className="num">
                  {formatPercent(c.confidence)}
                </td>
                <td data-label="Status">
                  <Badge status={c.status} />
                </td>
                <td data-label="Deadline">{formatDate(c.deadline)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {state === 'ready' && rows.length === 0 && <p className="muted">No claims match.</p>}
      </div>
      {next && (
        <p>
          <button type="button" onClick={more}>
            Show more
          </button>
        </p>
      )}
    </main>
  );
}
