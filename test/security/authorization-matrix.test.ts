// Every endpoint × every kind of caller: the status each must get. A smoke version of the
// resilience suite's authorization matrix; any mismatch is listed at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestClario, type TestClario } from '../support/clario.js';
import { testCapabilities } from '../support/capabilities.js';

type Caller = 'none' | 'wrong' | 'other_seller' | 'own_seller' | 'service';
const CALLERS: Caller[] = ['none', 'wrong', 'other_seller', 'own_seller', 'service'];

let t: TestClario;
let tokens: Record<Caller, string | null>;
let eventId = '';
beforeAll(async () => {
  t = await startTestClario({ capabilities: testCapabilities() });
  tokens = { none: null, wrong: 'not-a-token', other_seller: await t.sellerToken('mallory'), own_seller: await t.sellerToken('alice'), service: t.serviceToken };
  eventId = (await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'alice', sync_id: 'matrix' } })).body.event_id;
});
afterAll(async () => {
  await t.close();
});

interface Row {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: () => string;
  readonly body?: unknown;
  readonly type?: string;
  /** Expected status for each caller. */
  readonly expect: Record<Caller, number>;
}

const ANON = { none: 401, wrong: 401 };
const serviceOnly = (ok: number) => ({ ...ANON, other_seller: 403, own_seller: 403, service: ok });
const ownerOrService = (ok: number) => ({ ...ANON, other_seller: 403, own_seller: ok, service: ok });
const anyToken = (ok: number) => ({ ...ANON, other_seller: ok, own_seller: ok, service: ok });

const ROWS: Row[] = [
  { method: 'POST', path: () => '/api/v1/workflow/phase/1', body: { user_id: 'alice' }, expect: serviceOnly(202) },
  ...['sync/complete', 'detection/complete', 'evidence-matching/complete'].map(
    (hook): Row => ({ method: 'POST', path: () => `/api/v1/workflow/${hook}`, body: { user_id: 'alice', sync_id: `m-${hook.replace('/', '-')}` }, expect: serviceOnly(202) }),
  ),
  { method: 'POST', path: () => '/api/v1/workflow/claim/submitted', body: { user_id: 'alice', claim_id: 'c', case_id: 'k' }, expect: serviceOnly(202) },
  { method: 'POST', path: () => '/api/v1/workflow/claim/rejected', body: { user_id: 'alice', claim_id: 'c' }, expect: serviceOnly(202) },
  { method: 'POST', path: () => '/api/v1/workflow/payout/received', body: { user_id: 'alice', claim_id: 'c', payout_id: 'p', amount_minor: 1, currency: 'USD' }, expect: serviceOnly(202) },
  { method: 'GET', path: () => '/api/v1/workflow/status/alice', expect: ownerOrService(200) },
  // Another seller's event is "not found" to a seller, so ids cannot be probed.
  { method: 'GET', path: () => `/api/v1/workflow/events/${eventId}`, expect: { ...ANON, other_seller: 404, own_seller: 200, service: 200 } },
  { method: 'POST', path: () => `/api/v1/workflow/events/${eventId}/replay`, body: {}, expect: serviceOnly(409) },
  { method: 'GET', path: () => '/api/v1/workflow/audit?user_id=alice', expect: ownerOrService(200) },
  { method: 'GET', path: () => '/api/v1/workflow/queue/stats', expect: serviceOnly(200) },
  { method: 'PUT', path: () => '/api/v1/sellers/alice/costs', body: 'sku,unit_cost,currency\nA,1.00,USD', type: 'text/csv', expect: ownerOrService(200) },
  { method: 'PUT', path: () => '/api/v1/sellers/alice/removal-receipts', body: 'order_id,sku,tracking_number,received_quantity,received_date\nR,A,T,1,', type: 'text/csv', expect: ownerOrService(200) },
  { method: 'GET', path: () => '/api/v1/sellers/alice/removal-shipments', expect: ownerOrService(200) },
  // No such shipment for anyone allowed to answer.
  { method: 'POST', path: () => '/api/v1/sellers/alice/removal-shipments/rms_none/answer', body: { answer: 'all' }, expect: { ...ANON, other_seller: 403, own_seller: 404, service: 404 } },
  { method: 'GET', path: () => '/api/v1/learning/model', expect: serviceOnly(200) },
  // No such claim: "not found" to everyone allowed to ask, so claim ids cannot be probed.
  { method: 'GET', path: () => '/api/v1/claims/no-claim/proof.pdf', expect: { ...ANON, other_seller: 404, own_seller: 404, service: 404 } },
  { method: 'GET', path: () => '/api/v1/claims/no-claim/proof', expect: { ...ANON, other_seller: 404, own_seller: 404, service: 404 } },
  { method: 'POST', path: () => '/api/v1/claims/no-claim/release-hold', body: {}, expect: { ...ANON, other_seller: 404, own_seller: 404, service: 404 } },
  // Probes are open to everyone (load balancers send no token); they say only {"status":"ok"}.
  { method: 'GET', path: () => '/healthz', expect: { none: 200, wrong: 200, other_seller: 200, own_seller: 200, service: 200 } },
  { method: 'GET', path: () => '/readyz', expect: { none: 200, wrong: 200, other_seller: 200, own_seller: 200, service: 200 } },
  { method: 'GET', path: () => '/metrics', expect: serviceOnly(200) },
  { method: 'GET', path: () => '/docs/json', expect: { none: 200, wrong: 200, other_seller: 200, own_seller: 200, service: 200 } },
  // The dashboard's (src/dashboard/).
  { method: 'GET', path: () => '/api/v1/session', expect: anyToken(200) },
  { method: 'DELETE', path: () => '/api/v1/session', expect: anyToken(204) },
  { method: 'GET', path: () => '/api/v1/claims?user_id=alice', expect: ownerOrService(200) },
  { method: 'GET', path: () => '/api/v1/claims/no-such-claim', expect: { ...ANON, other_seller: 404, own_seller: 404, service: 404 } },
  { method: 'GET', path: () => '/api/v1/sellers/alice/overview', expect: ownerOrService(200) },
  { method: 'GET', path: () => '/api/v1/ops/clients', expect: serviceOnly(200) },
  { method: 'GET', path: () => '/api/v1/ops/failed', expect: serviceOnly(200) },
  { method: 'GET', path: () => '/api/v1/ops/payouts/unmatched', expect: serviceOnly(200) },
  // Reminders (src/reminders/): a seller's own, and where they are e-mailed.
  { method: 'GET', path: () => '/api/v1/reminders?user_id=alice', expect: ownerOrService(200) },
  { method: 'POST', path: () => '/api/v1/reminders/rem_none/dismiss', expect: { ...ANON, other_seller: 404, own_seller: 404, service: 404 } },
  { method: 'GET', path: () => '/api/v1/sellers/alice/notifications', expect: ownerOrService(200) },
  { method: 'PUT', path: () => '/api/v1/sellers/alice/notifications', body: { email: 'alice@example.com' }, expect: ownerOrService(200) },
];

function wsStatus(token: string | null): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${t.url.replace('http', 'ws')}/ws${token ? `?token=${encodeURIComponent(token)}` : ''}`);
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('error', () => resolve(0));
  });
}

describe('the authorization matrix', () => {
  it('gives every caller the expected answer on every endpoint', async () => {
    const mismatches: string[] = [];
    for (const row of ROWS) {
      for (const caller of CALLERS) {
        const r = await t.request(row.path(), {
          method: row.method,
          token: tokens[caller],
          ...(row.body === undefined ? {} : { body: row.body }),
          ...(row.type ? { headers: { 'content-type': row.type } } : {}),
        });
        if (r.status !== row.expect[caller]) mismatches.push(`${row.method} ${row.path()} as ${caller}: ${r.status}, expected ${row.expect[caller]}`);
        // Signing out ends the session (its tokens are refused from now on): the seller signs in again.
        if (row.method === 'DELETE' && row.path() === '/api/v1/session' && (caller === 'other_seller' || caller === 'own_seller')) {
          const after = await t.request('/api/v1/session', { token: tokens[caller] });
          if (after.status !== 401) mismatches.push(`GET /api/v1/session as ${caller} after signing out: ${after.status}, expected 401`);
          tokens[caller] = await t.sellerToken(caller === 'own_seller' ? 'alice' : 'mallory');
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('opens the WebSocket for sellers and the service, and refuses the rest', async () => {
    // The service must name a user; without one the socket opens and is closed with 1008.
    const got = Object.fromEntries(await Promise.all(CALLERS.map(async (c) => [c, await wsStatus(tokens[c])] as const)));
    expect(got).toEqual({ none: 401, wrong: 401, other_seller: 101, own_seller: 101, service: 101 });
  });
});
