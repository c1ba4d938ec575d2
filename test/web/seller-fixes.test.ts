// What the dashboard decides without a browser: where a seller may be sent back to after signing
// in again, the claims table's filters in the address, what happens after Amazon's approval, the
// server's detail in an error, the 1-unit removal question, and which unknown paths get the page.
import { describe, expect, it } from 'vitest';
import { returnPath } from '../../web/src/lib/return-path.js';
import { DEFAULT_FILTERS, filtersOf, queryOf } from '../../web/src/lib/claims-query.js';
import { afterReply, amountWarning, caseTotalOf, CREDITED_FROM_REPORT, PASTED_BEFORE, type ReplyAnswer } from '../../web/src/lib/filing.js';
import { detailOf } from '../../web/src/lib/error-detail.js';
import { arrivalQuestion } from '../../web/src/lib/format.js';
import { wantsDashboardPage } from '../../src/dashboard/web.js';

const ORIGIN = 'https://clario.example.com';

describe('the page to come back to after signing in again', () => {
  it('is a path of the dashboard, with its query', () => {
    expect(returnPath('/claims?status=held&sort=value&order=desc', ORIGIN)).toBe('/claims?status=held&sort=value&order=desc');
    expect(returnPath('/file-today/f_1', ORIGIN)).toBe('/file-today/f_1');
  });
  it('is never another origin, a protocol-relative or backslashed address, a server route, or the root', () => {
    for (const raw of [
      'https://evil.example.com/claims',
      '//evil.example.com/claims',
      '/\\evil.example.com',
      '/%5Cevil',
      'javascript:alert(1)',
      'claims',
      '/api/v1/session',
      '/signin/amazon',
      '/connect',
      '/ws?token=x',
      '/',
      '',
      null,
      undefined,
      '/claims\n',
      `/${'a'.repeat(3000)}`,
    ]) {
      const back = returnPath(raw, ORIGIN);
      if (back !== null) expect(new URL(back, ORIGIN).origin, String(raw)).toBe(ORIGIN);
      if (raw !== '/%5Cevil') expect(back, String(raw)).toBeNull();
    }
  });
});

describe("the claims table's address", () => {
  it('keeps status, type, sort and order, and leaves the defaults out', () => {
    const f = { status: 'held', type: 'lost_warehouse', sort: 'value' as const, order: 'desc' as const };
    expect(queryOf(f)).toBe('?status=held&type=lost_warehouse&sort=value&order=desc');
    expect(filtersOf(queryOf(f))).toEqual(f);
    expect(queryOf(DEFAULT_FILTERS)).toBe('');
    expect(filtersOf('')).toEqual(DEFAULT_FILTERS);
  });
  it('falls back to the default for what it does not know', () => {
    expect(filtersOf('?status=nope&type=<script>&sort=drop&order=sideways')).toEqual(DEFAULT_FILTERS);
    expect(filtersOf('?sort=deadline')).toMatchObject({ sort: 'deadline', order: 'asc' });
  });
});

describe("after pasting Amazon's approval", () => {
  const usd = (minor: number) => ({ amount_minor: minor, currency: 'USD' });
  const approval = (claims: ReplyAnswer['claims'], amount = usd(5_000)): ReplyAnswer => ({
    filing_id: 'f1',
    claims,
    reply: { id: 'r1', received_at: '2026-01-01T00:00:00Z', text: 'approved', outcome: 'approved', amount, reimbursement_ids: [], reason_code: null, needs: [] },
  });
  it('says the report credits the claims when the reply credited none', () => {
    const a = approval([{ claim_id: 'c1', status: 'filed', event_id: null }]);
    expect(afterReply(a, { minor: 5_000, currency: 'USD' })).toEqual({ next: CREDITED_FROM_REPORT, warning: null });
    expect(CREDITED_FROM_REPORT).toContain("Amazon's Reimbursements report shows the reimbursement");
  });
  it('says the claim is credited and the fee charged when the reply credited it', () => {
    const r = afterReply(approval([{ claim_id: 'c1', status: 'paid', event_id: 'e1' }]), null);
    expect(r.next).toContain('charges its fee');
    expect(r.warning).toBeNull();
    expect(afterReply(approval([{ claim_id: 'c1', status: 'paid', event_id: 'e1' }, { claim_id: 'c2', status: 'filed', event_id: null }]), null).next).toContain('1 claim of 2');
  });
  it('says a reply pasted before did nothing new, and passes on why a reply decided nothing on this case', () => {
    expect(afterReply({ ...approval([{ claim_id: 'c1', status: 'paid', event_id: 'e1' }]), duplicate: true }, null)).toEqual({ next: PASTED_BEFORE, warning: null });
    const elsewhere = 'reimbursement 5550001111 already pays case 17400000021: this reply looks like that case\'s, so it decides nothing on case 17400000022';
    expect(afterReply(approval([{ claim_id: 'c1', status: 'filed', event_id: null, note: elsewhere }]), null).next).toBe(`R${elsewhere.slice(1)}.`);
  });
  it('warns to check an amount above the case total or under half of it', () => {
    const total = { minor: 10_000, currency: 'USD' };
    expect(amountWarning({ minor: 10_000, currency: 'USD' }, total)).toBeNull();
    expect(amountWarning({ minor: 5_000, currency: 'USD' }, total)).toBeNull();
    expect(amountWarning({ minor: 4_999, currency: 'USD' }, total)).toMatch(/under half/);
    expect(amountWarning({ minor: 10_001, currency: 'USD' }, total)).toMatch(/more than/);
    expect(amountWarning({ minor: 10_000, currency: 'CAD' }, total)).toMatch(/Check the amount/);
    expect(amountWarning(null, total)).toBeNull();
    expect(afterReply(approval([{ claim_id: 'c1', status: 'filed', event_id: null }], usd(99_999)), total).warning).toMatch(/Check the amount/);
  });
  it("adds the case's claims up only when every amount is known, in one currency", () => {
    expect(caseTotalOf([{ minor: 1, currency: 'USD' }, { minor: 2, currency: 'USD' }])).toEqual({ minor: 3, currency: 'USD' });
    expect(caseTotalOf([{ minor: 1, currency: 'USD' }, null])).toBeNull();
    expect(caseTotalOf([{ minor: 1, currency: 'USD' }, { minor: 2, currency: 'EUR' }])).toBeNull();
    expect(caseTotalOf([])).toBeNull();
  });
});

describe('an error from the server', () => {
  it("keeps the detail of a refused field (its rule), not only 'the request is not valid'", () => {
    expect(detailOf([{ path: '/case_id', message: 'a case id as Seller Central shows it (letters, digits, -)' }])).toBe('case_id: a case id as Seller Central shows it (letters, digits, -)');
    expect(detailOf([{ path: '/', message: 'a' }, { message: 'b' }, 'c', 42])).toBe('a; b; c');
    expect(detailOf(undefined)).toBe('');
  });
});

describe('the removal question', () => {
  it('says "this 1 unit" and "these 12 units"', () => {
    expect(arrivalQuestion(1, 'SKU-1')).toBe('Did this 1 unit of SKU-1 arrive?');
    expect(arrivalQuestion(12, 'SKU-1')).toBe('Did these 12 units of SKU-1 arrive?');
  });
});

describe('an unknown address', () => {
  const req = (url: string, accept: string, method = 'GET') => ({ url, method, headers: { accept } });
  const html = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
  it("is the dashboard's for a browser asking for HTML, outside the server's own prefixes", () => {
    expect(wantsDashboardPage(req('/nonsense-page', html))).toBe(true);
    expect(wantsDashboardPage(req('/claims/a/b?x=1', html))).toBe(true);
    for (const path of ['/api/v1/nope', '/ws/x', '/connect/x', '/signin/x', '/openapi.json', '/docs/x', '/assets/x.js', '/API/v1/nope']) {
      expect(wantsDashboardPage(req(path, html)), path).toBe(false);
    }
    expect(wantsDashboardPage(req('/nonsense-page', 'application/json'))).toBe(false);
    expect(wantsDashboardPage(req('/nonsense-page', '*/*'))).toBe(false);
    expect(wantsDashboardPage(req('/nonsense-page', html, 'POST'))).toBe(false);
  });
});
