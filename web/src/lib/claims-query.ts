// The claims table's filters live in the address (?status=&type=&sort=&order=), so the back
// button, a reload or a shared link brings the same table back. Pure.

export type Sort = 'action' | 'deadline' | 'value' | 'confidence';
export type Order = 'asc' | 'desc';
export interface ClaimsFilters {
  readonly status: string;
  readonly type: string;
  readonly sort: Sort;
  readonly order: Order;
}

export const CLAIM_STATUSES = ['detected', 'prompted', 'held', 'ready', 'filed', 'rejected', 'paid', 'expired', 'dismissed'] as const;
const SORTS: readonly Sort[] = ['action', 'deadline', 'value', 'confidence'];
/** What the page opens on: what the seller can act on, nearest deadline first. */
export const DEFAULT_FILTERS: ClaimsFilters = { status: '', type: '', sort: 'action', order: 'asc' };

/** The filters a query string names; anything unknown or malformed falls back to the default. */
export function filtersOf(search: string): ClaimsFilters {
  const p = new URLSearchParams(search);
  const status = p.get('status') ?? '';
  const type = p.get('type') ?? '';
  const sort = p.get('sort') ?? '';
  const order = p.get('order') ?? '';
  const validSort = (SORTS as readonly string[]).includes(sort) ? (sort as Sort) : DEFAULT_FILTERS.sort;
  return {
    status: (CLAIM_STATUSES as readonly string[]).includes(status) ? status : '',
    // Claim types are the server's to list; a well-formed name is kept (the server refuses others).
    type: /^[a-z][a-z0-9_]{0,63}$/.test(type) ? type : '',
    sort: validSort,
    order: order === 'asc' || order === 'desc' ? order : validSort === DEFAULT_FILTERS.sort ? DEFAULT_FILTERS.order : validSort === 'deadline' ? 'asc' : 'desc',
  };
}

/** The query string for those filters ("" for the defaults), in a fixed order. */
export function queryOf(f: ClaimsFilters): string {
  const p = new URLSearchParams();
  if (f.status) p.set('status', f.status);
  if (f.type) p.set('type', f.type);
  if (f.sort !== DEFAULT_FILTERS.sort || f.order !== DEFAULT_FILTERS.order) {
    p.set('sort', f.sort);
    p.set('order', f.order);
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}
