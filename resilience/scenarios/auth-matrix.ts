// Authorization matrix: every endpoint of the OpenAPI document × {no token, wrong token, another
// seller, the seller, the service}. The policy is deny by default: only the service may call an
// endpoint, unless it names a seller (a user_id in its path or query: that seller may too) or is
// listed below. A new endpoint is checked the day it lands; one that should be open to sellers
// shows up as a mismatch until the policy says so.
import WebSocket from 'ws';
import { listEndpoints, example, fillPath, type Endpoint } from '../endpoints.js';
import { deploymentEnv, startNode, type Scenario } from '../scenario.js';
import { authAttacks } from './auth-attacks.js';

export type Caller = 'none' | 'wrong' | 'other_seller' | 'own_seller' | 'service';
const CALLERS: Caller[] = ['none', 'wrong', 'other_seller', 'own_seller', 'service'];
/** Allowed: the exact status when it is known, else a success (2xx, or a redirect for a browser flow). */
type Expect = number | readonly number[] | 'allowed';

/** Endpoints whose access is not "service only" or "the named seller": the exceptions, stated. */
const POLICY: Record<string, Partial<Record<Caller, Expect>>> = {
  // A seller reads their own events; another seller's are "not found", so ids cannot be probed.
  'GET /api/v1/workflow/events/{id}': { other_seller: 404, own_seller: 200 },
  // Only parked events can be replayed: alice has no Amazon connection, so her phase 1 is parked
  // (200) unless it is still waiting for a retry (409).
  'POST /api/v1/workflow/events/{id}/replay': { service: [200, 409] },
  // Multipart only: the JSON body sent here is refused (415) for every authenticated caller.
  // Uploads by role are covered in test/evidence/prompts-http.test.ts.
  'POST /api/v1/evidence': { other_seller: 415, own_seller: 415, service: 415 },
  // Authenticated by Stripe's signature, not a token: a request without one is a 400 for anyone.
  'POST /api/v1/billing/stripe/webhook': { none: 400, wrong: 400, other_seller: 400, own_seller: 400, service: 400 },
  // [edge] Health probes: open to every caller, token or not (load balancers and Kubernetes send
  // none); they answer only {"status":"ok"} (or 503 {"status":"unavailable"}), so nothing leaks.
  'GET /healthz': { none: 200, wrong: 200, other_seller: 200, own_seller: 200, service: 200 },
  'GET /readyz': { none: 200, wrong: 200, other_seller: 200, own_seller: 200, service: 200 },
  // The API document describes, it reveals nothing: open like the probes.
  'GET /docs/json': { none: 200, wrong: 200, other_seller: 200, own_seller: 200, service: 200 },
  // Browser flows. Sign-in is open to anyone (a redirect to Login with Amazon); its callback is
  // authenticated by a single-use state bound to the browser, so without one it is a 400 for anyone.
  'GET /signin/amazon': { none: 'allowed', wrong: 'allowed', other_seller: 'allowed', own_seller: 'allowed', service: 'allowed' },
  'GET /signin/amazon/callback': { none: 400, wrong: 400, other_seller: 400, own_seller: 400, service: 400 },
  // Connecting is a signed-in seller's: anyone else is sent to sign in (a redirect), the service is refused.
  'GET /connect': { none: 'allowed', wrong: 'allowed', other_seller: 'allowed', own_seller: 'allowed', service: 403 },
  // The consent callback needs its state (and the browser and account that started it): a 400 without.
  'GET /connect/callback': { none: 400, wrong: 400, other_seller: 400, own_seller: 400, service: 400 },
  // A notification address's confirmation link proves itself with its token, so no caller is
  // refused for who they are: the page shows a button (or 400 for a malformed token), and the
  // button's POST answers 404 for a token nobody was sent (400 when malformed).
  'GET /api/v1/notifications/confirm': { none: [200, 400], wrong: [200, 400], other_seller: [200, 400], own_seller: [200, 400], service: [200, 400] },
  'POST /api/v1/notifications/confirm': { none: [404, 400], wrong: [404, 400], other_seller: [404, 400], own_seller: [404, 400], service: [404, 400] },
  // Any signed-in caller reads, or ends, their own session.
  'GET /api/v1/session': { other_seller: 'allowed', own_seller: 'allowed' },
  'DELETE /api/v1/session': { other_seller: 'allowed', own_seller: 'allowed' },
  // Operators only, even when it names a seller.
  'GET /api/v1/ops/failed': { own_seller: 403 },
  'GET /api/v1/ops/payouts/unmatched': { own_seller: 403 },
  // Claims, filings, evidence, prompts and reminders by id: the id used here is an event's, so none has it; every
  // caller gets 404, and a seller never learns whether an id exists. A seller reading their own
  // claim, filing and proof packet is covered by test/security/authorization-matrix.test.ts.
  ...Object.fromEntries(
    [
      'GET /api/v1/claims/{id}',
      'GET /api/v1/claims/{id}/proof',
      'GET /api/v1/claims/{id}/proof.pdf',
      'POST /api/v1/claims/{id}/case',
      'POST /api/v1/claims/{id}/release-hold',
      'GET /api/v1/filings/{id}',
      'POST /api/v1/filings/{id}/reply',
      'GET /api/v1/filings/{id}/evidence.zip',
      'GET /api/v1/evidence/{id}',
      'GET /api/v1/evidence/{id}/content',
      'POST /api/v1/prompts/{id}/answer',
      'POST /api/v1/reminders/{id}/dismiss',
    ].map(
      (k) => [k, { other_seller: 404, own_seller: 404, service: 404 } satisfies Partial<Record<Caller, Expect>>],
    ),
  ),
  // A removal shipment alice does not have: the path names alice, so another seller is refused
  // before the shipment is looked up. A seller answering their own: test/connect/removal-receipts.test.ts.
  'POST /api/v1/sellers/{user_id}/removal-shipments/{shipment_id}/answer': { other_seller: 403, own_seller: 404, service: 404 },
};

function expectations(e: Endpoint): Record<Caller, Expect> {
  const namesSeller = e.pathParams.includes('user_id') || e.queryParams.includes('user_id');
  const base: Record<Caller, Expect> = { none: 401, wrong: 401, other_seller: 403, own_seller: namesSeller ? 'allowed' : 403, service: 'allowed' };
  return { ...base, ...POLICY[`${e.method} ${e.template}`] };
}

function matches(status: number, want: Expect): boolean {
  if (typeof want === 'object') return want.includes(status);
  return want === 'allowed' ? status >= 200 && status < 400 : status === want;
}

function wsStatus(url: string, token: string | null): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/ws${token ? `?token=${encodeURIComponent(token)}` : ''}`);
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('error', () => resolve(0));
  });
}

/** [edge] The upgrade's status with these headers (101 when it opens). */
function wsWith(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/ws`, { headers });
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('error', () => resolve(0));
  });
}

/** The seller's CSV uploads, by the path's last segment: a small valid file each. */
const CSV_UPLOADS: Readonly<Record<string, string>> = {
  costs: 'sku,unit_cost,currency\nA,1.00,USD',
  'removal-receipts': 'order_id,sku,tracking_number,received_quantity,received_date\nR-1,A,1Z999,1,2026-01-05',
};

export const authMatrix: Scenario = async (ctx) => {
  const database = await ctx.infra.newDatabase();
  // The real capabilities (the bundled Amazon and Stripe simulators), so every route they bring
  // (evidence, prompts, billing, connect) is in the OpenAPI document and in the matrix.
  const node = await startNode(deploymentEnv(database.url, undefined), 'all');
  try {
    const service = node.env.CLARIO_SERVICE_TOKEN ?? '';
    const auth = node.clario.auth;
    const tokens: Record<Caller, string | null> = { none: null, wrong: 'not-a-token', other_seller: await auth.issueSellerToken('mallory', 3600), own_seller: await auth.issueSellerToken('alice', 3600), service };
    const call = async (method: string, path: string, token: string | null, body?: unknown, type = 'application/json') => {
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
      if (body !== undefined) headers['content-type'] = type;
      const res = await fetch(`${node.url}${path}`, { method, headers, redirect: 'manual', ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}) });
      await res.arrayBuffer();
      return res.status;
    };
    // Something of alice's to point at: an event, a subscription (a second one to delete).
    const accepted = await fetch(`${node.url}/api/v1/workflow/phase/1`, { method: 'POST', headers: { authorization: `Bearer ${service}`, 'content-type': 'application/json' }, body: JSON.stringify({ user_id: 'alice', sync_id: 'matrix' }) });
    const eventId = ((await accepted.json()) as { event_id: string }).event_id;
    const subscription = async () => {
      const r = await fetch(`${node.url}/api/v1/subscriptions`, { method: 'POST', headers: { authorization: `Bearer ${service}`, 'content-type': 'application/json' }, body: JSON.stringify({ url: 'https://example.com/hook' }) });
      return ((await r.json()) as { id: string }).id;
    };
    const keep = await subscription();
    const endpoints = (await listEndpoints(node.url, service)).sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
    const mismatches: string[] = [];
    const matrix: Record<string, Record<Caller, number>> = {};
    let checks = 0;
    for (const e of endpoints) {
      const row = {} as Record<Caller, number>;
      const want = expectations(e);
      for (const caller of CALLERS) {
        const id = e.template.startsWith('/api/v1/subscriptions') ? (e.method === 'DELETE' ? await subscription() : keep) : eventId;
        let path = fillPath(e, { user_id: 'alice', phaseNumber: '1', id });
        if (e.queryParams.includes('user_id')) path += '?user_id=alice';
        const csv = CSV_UPLOADS[e.template.split('/').pop() ?? ''];
        const body = csv ?? (e.bodySchema ? example(e.bodySchema) : e.method === 'POST' ? {} : undefined);
        const status = await call(e.method, path, tokens[caller], body, csv !== undefined ? 'text/csv' : 'application/json');
        row[caller] = status;
        checks++;
        if (!matches(status, want[caller])) mismatches.push(`${e.method} ${e.template} as ${caller}: ${status}, expected ${String(want[caller])}`);
      }
      matrix[`${e.method} ${e.template}`] = row;
    }
    // The WebSocket is not in the OpenAPI document: sellers and the service open it, nobody else.
    // The matrix signed the sellers out (DELETE /api/v1/session ends their sessions): new ones here.
    const fresh: Record<Caller, string | null> = { ...tokens, other_seller: await auth.issueSellerToken('mallory', 3600), own_seller: await auth.issueSellerToken('alice', 3600) };
    const ws = {} as Record<Caller, number>;
    for (const caller of CALLERS) {
      ws[caller] = await wsStatus(node.url, fresh[caller]);
      checks++;
      const want = caller === 'none' || caller === 'wrong' ? 401 : 101;
      if (ws[caller] !== want) mismatches.push(`GET /ws as ${caller}: ${ws[caller]}, expected ${want}`);
    }
    matrix['GET /ws'] = ws;
    // [edge] The session cookie opens /ws only from Clario's own origin (cross-site WebSocket
    // hijacking); a token holder needs no Origin.
    const cookie = `clario_session=${fresh.own_seller ?? ''}`;
    const own = new URL(node.url).origin;
    const origins: Array<[string, Record<string, string>, number]> = [
      ['cookie, Origin http://evil.example', { cookie, origin: 'http://evil.example' }, 403],
      ['cookie, no Origin', { cookie }, 403],
      [`cookie, Origin ${own}`, { cookie, origin: own }, 101],
      ['bearer token, no Origin', { authorization: `Bearer ${fresh.own_seller ?? ''}` }, 101],
    ];
    const byOrigin: Record<string, number> = {};
    for (const [what, headers, want] of origins) {
      byOrigin[what] = await wsWith(node.url, headers);
      checks++;
      if (byOrigin[what] !== want) mismatches.push(`GET /ws with ${what}: ${byOrigin[what]}, expected ${want}`);
    }
    matrix['GET /ws by origin'] = byOrigin;

    // Who-is-who attacks at sign-in and connect, and sessions that must end (auth-attacks.ts).
    const attacks = await authAttacks(node.env);
    checks += Object.keys(attacks.checks).length;
    mismatches.push(...attacks.mismatches);
    return { figures: { endpoints: endpoints.length + 1, callers: CALLERS.length, checks, mismatches, matrix, attacks: attacks.checks }, violations: mismatches };
  } finally {
    await node.close();
    await database.drop();
  }
};
