// The EventBridge sink against a loopback server that speaks EventBridge's JSON protocol (no AWS
// is reachable from here): the request shape, batches of at most 10, order, and a partially
// failed batch retried without skipping anything.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createEventBridgeSink, cursorId, type Mirror } from '../../src/mirror/index.js';
import { chunk, entrySize, MAX_REQUEST_BYTES } from '../../src/mirror/eventbridge.js';
import { waitFor } from '../support/wait.js';
import { startMirrorClario, testMirror, type MirrorClario } from './support.js';
import { rows } from '../../src/store/db.js';

const ACCESS_KEY = 'AKIATESTEVENTBRIDGE1';
const SECRET_KEY = 'test-secret-key-never-in-logs-0123456789';
const ENV = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION'] as const;
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));

interface Entry {
  Source: string;
  DetailType: string;
  Detail: string;
  EventBusName: string;
  Time: number | string;
}
interface Request {
  headers: IncomingHttpHeaders;
  entries: Entry[];
}

/** PutEvents on loopback; `reject(n, i)` fails entry i of request n (1-based) with an ErrorCode. */
async function startEventBridge(reject: (n: number, i: number) => boolean = () => false) {
  const requests: Request[] = [];
  const accepted: number[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/' || req.headers['x-amz-target'] !== 'AWSEvents.PutEvents') {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: 'UnknownOperationException' }));
        return;
      }
      const body = JSON.parse(raw) as { Entries: Entry[] };
      requests.push({ headers: req.headers, entries: body.Entries });
      const n = requests.length;
      const results = body.Entries.map((e, i) => {
        if (reject(n, i)) return { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' };
        accepted.push((JSON.parse(e.Detail) as { seq: number }).seq);
        return { EventId: `evt-${n}-${i}` };
      });
      res
        .writeHead(200, { 'content-type': 'application/x-amz-json-1.1' })
        .end(JSON.stringify({ FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    accepted,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let t: MirrorClario;
beforeAll(async () => {
  process.env.AWS_ACCESS_KEY_ID = ACCESS_KEY;
  process.env.AWS_SECRET_ACCESS_KEY = SECRET_KEY;
  for (const k of ['AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION'] as const) delete process.env[k];
  t = await startMirrorClario();
});
afterAll(async () => {
  await t.close();
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});
beforeEach(async () => {
  await rows(t.clario.database.db, sql`DELETE FROM subscription_cursors WHERE subscription_id LIKE 'eventbridge:%'`);
});

function sink(endpoint: string, bus: string) {
  const logs: string[] = [];
  const record = (level: string) => (obj: object, msg: string) => void logs.push(`${level} ${msg} ${JSON.stringify(obj)}`);
  let offset = 0;
  const mirror: Mirror = createEventBridgeSink({
    database: t.clario.database,
    log: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
    bus,
    source: 'clario',
    region: 'us-east-1',
    endpoint,
    timeoutMs: 2_000,
    // A first backoff of 30 s (random 0.5): "not due yet" must not depend on how fast the
    // requests between the failure and that check run; the test moves the sink's clock instead.
    retry: { baseMs: 60_000, maxMs: 240_000 },
    settleMs: 500,
    random: () => 0.5,
    now: () => new Date(Date.now() + offset),
  });
  return { mirror, logs, advance: (ms: number) => void (offset += ms) };
}

/** `n` outbox rows for one seller, written as the engine writes them (a known count for the batching assertions). */
async function produce(userId: string, n: number): Promise<number[]> {
  const [before] = await rows<{ m: string | number }>(t.clario.database.db, sql`SELECT coalesce(max(seq), 0) AS m FROM outbox`);
  for (let i = 0; i < n; i++) {
    await rows(t.clario.database.db, sql`INSERT INTO outbox (user_id, type, payload) VALUES (${userId}, 'test.event', ${JSON.stringify({ user_id: userId, i })}::jsonb)`);
  }
  const found = await rows<{ seq: string | number }>(t.clario.database.db, sql`SELECT seq FROM outbox WHERE seq > ${Number(before?.m)} ORDER BY seq`);
  return found.map((r) => Number(r.seq));
}

async function cursor(bus: string): Promise<number> {
  const [r] = await rows<{ last_seq: string | number }>(t.clario.database.db, sql`SELECT last_seq FROM subscription_cursors WHERE subscription_id = ${cursorId(bus)}`);
  return Number(r?.last_seq);
}

describe('the EventBridge sink', () => {
  it('sends the outbox in order, in PutEvents requests of at most 10 entries, shaped as EventBridge expects', async () => {
    const eb = await startEventBridge();
    const { mirror, logs } = sink(eb.endpoint, 'clario-bus');
    // Created first: the sink starts after the newest outbox message, as a subscription does.
    expect(await mirror.deliverOnce()).toEqual({ delivered: 0, failed: 0 });
    const seqs = await produce('u-eb', 25);
    expect(await mirror.deliverOnce()).toEqual({ delivered: 25, failed: 0 });
    expect(eb.requests.map((r) => r.entries.length)).toEqual([10, 10, 5]);
    expect(eb.accepted).toEqual(seqs);
    expect(await cursor('clario-bus')).toBe(seqs.at(-1));

    const [first] = eb.requests;
    expect(first?.headers['x-amz-target']).toBe('AWSEvents.PutEvents');
    expect(first?.headers['content-type']).toMatch(/^application\/x-amz-json-1\.1/);
    // Signed with the credentials of the default chain, which the signature names but never shows.
    expect(String(first?.headers.authorization)).toContain(`Credential=${ACCESS_KEY}/`);
    expect(String(first?.headers.authorization)).not.toContain(SECRET_KEY);
    const e = first?.entries[0];
    expect(e).toMatchObject({ Source: 'clario', DetailType: 'test.event', EventBusName: 'clario-bus' });
    expect(JSON.parse(e?.Detail ?? '{}')).toEqual({ user_id: 'u-eb', i: 0, seq: seqs[0] });
    expect(e?.Time).toBeDefined();

    // Nothing new: no request.
    expect(await mirror.deliverOnce()).toEqual({ delivered: 0, failed: 0 });
    expect(eb.requests).toHaveLength(3);
    await mirror.stop();
    await eb.close();
    expect(logs.join('\n')).not.toContain(SECRET_KEY);
  });

  it('retries a rejected entry and everything after it, with backoff, skipping nothing', async () => {
    // The second request's entry 3 fails once (InternalFailure), entries after it are accepted by
    // EventBridge but must be sent again so the bus sees the outbox in order.
    const eb = await startEventBridge((n, i) => n === 2 && i === 3);
    const { mirror, logs, advance } = sink(eb.endpoint, 'flaky-bus');
    await mirror.deliverOnce();
    const seqs = await produce('u-eb-flaky', 25);
    expect(await mirror.deliverOnce()).toEqual({ delivered: 13, failed: 1 });
    expect(await cursor('flaky-bus')).toBe(seqs[12]);
    const [state] = await rows<{ attempts: number; last_error: { code: string } }>(t.clario.database.db,
      sql`SELECT attempts, last_error FROM subscription_cursors WHERE subscription_id = ${cursorId('flaky-bus')}`,
    );
    expect(state).toMatchObject({ attempts: 1, last_error: { code: 'InternalFailure' } });
    // The operator reads the same through the API: cursor, lag behind the outbox, last error.
    const seen = await t.request('/api/v1/ops/event-sinks');
    expect(seen.status).toBe(200);
    expect(seen.body.outbox_head).toBe(seqs.at(-1));
    expect(seen.body.sinks).toEqual([
      expect.objectContaining({ kind: 'eventbridge', bus: 'flaky-bus', last_delivered_seq: seqs[12], lag: 12, attempts: 1, last_error: { code: 'InternalFailure', message: 'try again' } }),
    ]);
    expect((await t.request('/api/v1/ops/event-sinks', { token: await t.sellerToken('u-eb-flaky') })).status).toBe(403);
    // Backing off: not due yet.
    expect(await mirror.deliverOnce()).toEqual({ delivered: 0, failed: 0 });
    expect(eb.requests).toHaveLength(2);
    advance(60_000);
    expect(await mirror.deliverOnce()).toEqual({ delivered: 12, failed: 0 });
    expect(await cursor('flaky-bus')).toBe(seqs.at(-1));
    expect(eb.requests.map((r) => r.entries.length)).toEqual([10, 10, 10, 2]);

    // Every seq reached the bus, in order; the only repeats are the ones after the rejected entry
    // in its own request (at least once).
    const sent = eb.requests.flatMap((r) => r.entries.map((x) => (JSON.parse(x.Detail) as { seq: number }).seq));
    // The second request up to its end, then again from the rejected entry on: order kept.
    expect(sent).toEqual([...seqs.slice(0, 20), ...seqs.slice(13)]);
    expect([...new Set(eb.accepted)].sort((a, b) => a - b)).toEqual(seqs);
    expect(eb.accepted.length - seqs.length).toBe(6);
    expect(logs.some((l) => l.startsWith('warn EventBridge delivery failed'))).toBe(true);
    await mirror.stop();
    await eb.close();
    const all = logs.join('\n');
    expect(all).not.toContain(SECRET_KEY);
    expect(all).not.toContain(ACCESS_KEY);
  });

  it('retries when the endpoint is down, without logging credentials', async () => {
    const eb = await startEventBridge();
    const endpoint = eb.endpoint;
    await eb.close();
    const { mirror, logs } = sink(endpoint, 'down-bus');
    await mirror.deliverOnce();
    await produce('u-eb-down', 3);
    expect(await mirror.deliverOnce()).toEqual({ delivered: 0, failed: 1 });
    await mirror.stop();
    const all = logs.join('\n');
    expect(all).toContain('EventBridge delivery failed');
    expect(all).not.toContain(SECRET_KEY);
  });

  it('sends the events of a real sync run, and the webhook loop leaves its cursor alone', async () => {
    const eb = await startEventBridge();
    const { mirror } = sink(eb.endpoint, 'real-bus');
    await mirror.deliverOnce();
    const start = await cursor('real-bus');
    const r = await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'u-eb-real' } });
    expect(r.status).toBe(202);
    await waitFor(async () => {
      const s = await t.request('/api/v1/workflow/status/u-eb-real');
      return s.body.runs?.[0]?.phases?.[3]?.status === 'completed';
    }, 'phase 4 completed');
    // A webhook round claims subscriptions only: the sink's cursor has no subscription row.
    const webhooks = testMirror(t.clario);
    await webhooks.mirror.deliverOnce();
    const [leased] = await rows<{ lease_token: string | null }>(t.clario.database.db, sql`SELECT lease_token FROM subscription_cursors WHERE subscription_id = ${cursorId('real-bus')}`);
    expect(leased?.lease_token).toBeNull();
    const found = await rows<{ seq: string | number; type: string }>(t.clario.database.db, sql`SELECT seq, type FROM outbox WHERE seq > ${start} ORDER BY seq`);
    expect(found.length).toBeGreaterThan(8);
    await waitFor(async () => {
      await mirror.deliverOnce();
      return (await cursor('real-bus')) === Number(found.at(-1)?.seq);
    }, 'EventBridge caught up');
    expect(eb.accepted).toEqual(found.map((x) => Number(x.seq)));
    expect(eb.requests.flatMap((q) => q.entries.map((e) => e.DetailType))).toEqual(found.map((x) => x.type));
    expect(eb.requests.every((q) => q.entries.length <= 10)).toBe(true);
    await webhooks.mirror.stop();
    await mirror.stop();
    await eb.close();
  });

  it('cuts requests at 256 KB as well as at 10 entries', () => {
    const entries = Array.from({ length: 5 }, (_, i) => ({ Source: 'clario', DetailType: 't', Detail: 'x'.repeat(100_000), EventBusName: 'b', i }));
    const requests = chunk(entries, entrySize);
    expect(requests.map((r) => r.length)).toEqual([2, 2, 1]);
    for (const r of requests) expect(r.reduce((n, e) => n + entrySize(e), 0)).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
    expect(chunk(Array.from({ length: 21 }, () => ({ Detail: '{}' })), entrySize).map((r) => r.length)).toEqual([10, 10, 1]);
  });

  it('is configured by EVENTBRIDGE_* and off without a bus', () => {
    expect(loadConfig({}).eventBridge).toBeUndefined();
    expect(loadConfig({ EVENTBRIDGE_BUS: 'b', EVENTBRIDGE_ENDPOINT: 'http://127.0.0.1:4010' }).eventBridge).toEqual({
      bus: 'b',
      source: 'clario',
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:4010',
    });
  });
});
