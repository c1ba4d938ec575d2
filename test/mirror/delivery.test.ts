import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Mirror } from '../../src/mirror/index.js';
import { waitFor } from '../support/wait.js';
import { startMirrorClario, startReceiver, testMirror, type MirrorClario } from './support.js';
import { rows } from '../../src/store/db.js';

let t: MirrorClario;
beforeAll(async () => {
  t = await startMirrorClario();
});
afterAll(async () => {
  await t.close();
});
beforeEach(async () => {
  // Each test watches only its own subscription.
  await rows(t.clario.database.db, sql`WITH c AS (DELETE FROM subscription_cursors) DELETE FROM subscriptions`);
});

async function subscribe(receiverUrl: string, extra: Record<string, unknown> = {}) {
  const r = await t.request('/api/v1/subscriptions', { body: { url: receiverUrl, ...extra } });
  expect(r.status).toBe(201);
  return r.body as { id: string; secret: string; delivery: { last_delivered_seq: number } };
}

/** A whole sync run through real triggers: phase 1 chains 2, 3 and 4, each writing outbox rows. */
async function runWorkflow(userId: string): Promise<void> {
  const r = await t.request('/api/v1/workflow/phase/1', { body: { user_id: userId } });
  expect(r.status).toBe(202);
  await waitFor(async () => {
    const s = await t.request(`/api/v1/workflow/status/${userId}`);
    return s.body.runs?.[0]?.phases?.[3]?.status === 'completed';
  }, 'phase 4 completed');
}

async function outboxAfter(seq: number, types?: string[]) {
  const found = await rows<{ seq: string | number; type: string }>(t.clario.database.db, sql`SELECT seq, type FROM outbox WHERE seq > ${seq} ORDER BY seq`);
  return found.map((r) => ({ seq: Number(r.seq), type: r.type })).filter((r) => !types || types.includes(r.type));
}

/** Rounds of delivery (moving the clock past any backoff) until the cursor reaches the outbox's end. */
async function drain(mirrors: Mirror[], subscriptionId: string, tick: () => void = () => undefined): Promise<void> {
  await waitFor(async () => {
    await Promise.all(mirrors.map((m) => m.deliverOnce()));
    tick();
    const [end] = await rows<{ m: string | number }>(t.clario.database.db, sql`SELECT coalesce(max(seq), 0) AS m FROM outbox`);
    const s = await t.request(`/api/v1/subscriptions/${subscriptionId}`);
    return s.body.delivery.last_delivered_seq === Number(end?.m);
  }, 'delivery caught up');
}

describe('the event mirror', () => {
  it('delivers the events of real triggers in outbox order, each signed per Standard Webhooks', async () => {
    const receiver = await startReceiver('whsec_' + Buffer.alloc(32, 7).toString('base64'));
    const sub = await subscribe(receiver.url, { secret: 'whsec_' + Buffer.alloc(32, 7).toString('base64') });
    const { mirror } = testMirror(t.clario);
    await runWorkflow('u-order');
    await drain([mirror], sub.id);
    const expected = await outboxAfter(sub.delivery.last_delivered_seq);
    expect(expected.length).toBeGreaterThan(8);
    expect(receiver.accepted.map((r) => r.seq)).toEqual(expected.map((e) => e.seq));
    expect(receiver.accepted.every((r) => r.signatureValid)).toBe(true);
    const first = receiver.accepted[0];
    expect(first?.id).toBe(`msg_${expected[0]?.seq}`);
    expect(first?.body).toMatchObject({ type: expected[0]?.type, data: { user_id: 'u-order', seq: expected[0]?.seq } });
    expect(Number.isNaN(Date.parse(first?.body.timestamp ?? ''))).toBe(false);
    await receiver.close();
  });

  it('keeps retrying a receiver that fails with 500, then delivers every message once, in order', async () => {
    const secret = 'whsec_' + Buffer.alloc(24, 3).toString('base64');
    const receiver = await startReceiver(secret, (n) => (n <= 3 ? 500 : 200));
    const sub = await subscribe(receiver.url, { secret });
    const { mirror, advance } = testMirror(t.clario);
    await runWorkflow('u-flaky');
    expect(await mirror.deliverOnce()).toEqual({ delivered: 0, failed: 1 });
    const failing = await t.request(`/api/v1/subscriptions/${sub.id}`);
    expect(failing.body.delivery).toMatchObject({ attempts: 1, last_error: { code: 'http_5xx' }, last_delivered_seq: sub.delivery.last_delivered_seq });
    // Not due yet: the backoff holds it back until the clock moves.
    expect(await mirror.deliverOnce()).toEqual({ delivered: 0, failed: 0 });
    await drain([mirror], sub.id, () => advance(5_000));
    const expected = await outboxAfter(sub.delivery.last_delivered_seq);
    expect(receiver.accepted.map((r) => r.seq)).toEqual(expected.map((e) => e.seq));
    expect(receiver.attempts.slice(0, 4).map((r) => r.id)).toEqual(Array(4).fill(`msg_${expected[0]?.seq}`));
    await receiver.close();
  });

  it('waits as long as a receiver\'s Retry-After asks (seconds or an HTTP date), up to the policy\'s maximum', async () => {
    const secret = 'whsec_' + Buffer.alloc(32, 4).toString('base64');
    let offset = 0;
    // The first refusal asks for 3 s; the second for a date ~5 s ahead, past the policy's 4 s maximum.
    const receiver = await startReceiver(secret, (n) =>
      n === 1
        ? { status: 429, headers: { 'retry-after': '3' } }
        : n === 2
          ? { status: 503, headers: { 'retry-after': new Date(Date.now() + offset + 5_000).toUTCString() } }
          : 200,
    );
    const sub = await subscribe(receiver.url, { secret });
    const { mirror, advance } = testMirror(t.clario);
    const move = (ms: number) => {
      offset += ms;
      advance(ms);
    };
    await runWorkflow('u-busy');
    expect(await mirror.deliverOnce()).toEqual({ delivered: 0, failed: 1 });
    // Our own backoff alone would be due after 750 ms.
    move(2_000);
    expect(await mirror.deliverOnce()).toEqual({ delivered: 0, failed: 0 });
    move(1_100);
    expect(await mirror.deliverOnce()).toEqual({ delivered: 0, failed: 1 });
    // Backoff alone: 1.5 s; the date asks for more than the 4 s bound, so 4 s.
    move(3_000);
    expect(await mirror.deliverOnce()).toEqual({ delivered: 0, failed: 0 });
    move(1_100);
    await drain([mirror], sub.id, () => move(1_000));
    expect(receiver.attempts.slice(0, 2).map((r) => r.id)).toEqual([receiver.attempts[0]?.id, receiver.attempts[0]?.id]);
    const expected = await outboxAfter(sub.delivery.last_delivered_seq);
    expect(receiver.accepted.map((r) => r.seq)).toEqual(expected.map((e) => e.seq));
    await receiver.close();
  });

  it('times out a receiver that hangs, and retries', async () => {
    const secret = 'whsec_' + Buffer.alloc(32, 9).toString('base64');
    const receiver = await startReceiver(secret, (n) => (n === 1 ? 'hang' : 200));
    const sub = await subscribe(receiver.url, { secret });
    const { mirror, advance } = testMirror(t.clario, { timeoutMs: 300 });
    await runWorkflow('u-hang');
    expect(await mirror.deliverOnce()).toEqual({ delivered: 0, failed: 1 });
    const s = await t.request(`/api/v1/subscriptions/${sub.id}`);
    expect(s.body.delivery.last_error.code).toBe('timeout');
    await drain([mirror], sub.id, () => advance(5_000));
    const expected = await outboxAfter(sub.delivery.last_delivered_seq);
    expect(receiver.accepted.map((r) => r.seq)).toEqual(expected.map((e) => e.seq));
    await receiver.close();
  });

  it('switches a persistently failing subscription off with a notice; replay re-enables it and delivers again', async () => {
    const secret = 'whsec_' + Buffer.alloc(32, 1).toString('base64');
    let up = false;
    const receiver = await startReceiver(secret, () => (up ? 200 : 503));
    const sub = await subscribe(receiver.url, { secret });
    const { mirror, advance, warnings } = testMirror(t.clario);
    await runWorkflow('u-dead');
    await waitFor(async () => {
      await mirror.deliverOnce();
      advance(5_000);
      return (await t.request(`/api/v1/subscriptions/${sub.id}`)).body.status === 'disabled';
    }, 'subscription disabled');
    const dead = await t.request(`/api/v1/subscriptions/${sub.id}`);
    expect(dead.body.disabled_reason).toMatch(/failed \d+ times/);
    expect(dead.body.delivery.next_attempt_at).toBeNull();
    expect(warnings).toHaveLength(1);
    expect(receiver.accepted).toHaveLength(0);
    // Disabled: nothing more is attempted.
    const tried = receiver.attempts.length;
    advance(60_000);
    await mirror.deliverOnce();
    expect(receiver.attempts).toHaveLength(tried);

    up = true;
    // The body is optional, as documented: none at all, and JSON's null, are "retry now" (both were 400).
    for (const body of [undefined, 'null']) {
      const r = await fetch(`${t.url}/api/v1/subscriptions/${sub.id}/replay`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.serviceToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body } : {}),
      });
      expect([r.status, await r.text().then((x) => (JSON.parse(x) as { status?: string }).status)]).toEqual([200, 'active']);
    }
    const replayed = await t.request(`/api/v1/subscriptions/${sub.id}/replay`, { body: {} });
    expect(replayed.body).toMatchObject({ status: 'active', disabled_reason: null, delivery: { attempts: 0, last_error: null } });
    await drain([mirror], sub.id);
    const expected = await outboxAfter(sub.delivery.last_delivered_seq);
    expect(receiver.accepted.map((r) => r.seq)).toEqual(expected.map((e) => e.seq));

    // Replay from a seq delivers those messages again, with the same webhook ids.
    const from = expected[2]?.seq ?? 0;
    expect((await t.request(`/api/v1/subscriptions/${sub.id}/replay`, { body: { from_seq: from } })).status).toBe(200);
    await drain([mirror], sub.id);
    expect(receiver.accepted.slice(expected.length).map((r) => r.seq)).toEqual(expected.slice(2).map((e) => e.seq));
    await receiver.close();
  });

  it('delivers only the subscribed event types, still in order', async () => {
    const secret = 'whsec_' + Buffer.alloc(32, 5).toString('base64');
    const receiver = await startReceiver(secret);
    const sub = await subscribe(receiver.url, { secret, event_types: ['workflow.progress'] });
    const { mirror } = testMirror(t.clario);
    await runWorkflow('u-filter');
    await drain([mirror], sub.id);
    const expected = await outboxAfter(sub.delivery.last_delivered_seq, ['workflow.progress']);
    expect(expected.length).toBeGreaterThan(0);
    expect(receiver.accepted.map((r) => r.seq)).toEqual(expected.map((e) => e.seq));
    expect(new Set(receiver.accepted.map((r) => r.type))).toEqual(new Set(['workflow.progress']));
    await receiver.close();
  });

  it('two delivery loops on one database never deliver the same message twice', async () => {
    const secret = 'whsec_' + Buffer.alloc(32, 2).toString('base64');
    const receiver = await startReceiver(secret);
    const sub = await subscribe(receiver.url, { secret });
    const a = testMirror(t.clario, { batch: 3 }).mirror;
    const b = testMirror(t.clario, { batch: 3 }).mirror;
    await runWorkflow('u-two');
    await drain([a, b], sub.id);
    const expected = await outboxAfter(sub.delivery.last_delivered_seq);
    expect(receiver.attempts.map((r) => r.seq)).toEqual(expected.map((e) => e.seq));
    await receiver.close();
  });
});

describe('holes in the outbox seq', () => {
  it('waits at a hole that may be an uncommitted transaction, and passes it once it has settled', async () => {
    const secret = 'whsec_' + Buffer.alloc(32, 6).toString('base64');
    const receiver = await startReceiver(secret);
    const sub = await subscribe(receiver.url, { secret });
    const { mirror, advance } = testMirror(t.clario, { settleMs: 60_000 });
    // A sequence value taken and not (yet) committed: exactly what an open transaction leaves.
    await rows(t.clario.database.db, sql`SELECT nextval(pg_get_serial_sequence('outbox', 'seq'))`);
    const [row] = await rows<{ seq: string | number }>(t.clario.database.db,
      sql`INSERT INTO outbox (user_id, type, payload) VALUES ('u-hole', 'workflow.phase', '{}'::jsonb) RETURNING seq`,
    );
    expect(Number(row?.seq)).toBe(sub.delivery.last_delivered_seq + 2);
    expect(await mirror.deliverOnce()).toEqual({ delivered: 0, failed: 0 });
    expect(receiver.attempts).toHaveLength(0);
    advance(61_000);
    expect(await mirror.deliverOnce()).toEqual({ delivered: 1, failed: 0 });
    expect(receiver.accepted.map((r) => r.seq)).toEqual([Number(row?.seq)]);
    await receiver.close();
  });
});
