// A queue that reads the inbox takes due events already started, by one statement (acquireDue),
// instead of reserving ids and starting each with its own statement. It keeps acquire's rules
// (lane order, due time) and writes the same audit rows and messages; when two due events of one
// lane meet in a batch it takes nothing, and the queue reserves ids as before.
import { sql } from 'drizzle-orm';
import { beforeEach, expect, it } from 'vitest';
import type { PhaseNumber } from '../../src/domain/phase.js';
import { createPostgresQueue } from '../../src/queue/postgres-queue.js';
import { rows } from '../../src/store/db.js';
import { dueUnheld } from '../../src/store/lane-order.js';
import { acquire, acquireDue, insertTrigger } from '../../src/workflow/inbox.js';
import type { TriggerInput } from '../../src/workflow/types.js';
import { describeOnEngines } from '../support/infra.js';
import { waitFor } from '../support/wait.js';

let n = 0;
const trigger = (phase: PhaseNumber, ids: { syncId?: string; claimId?: string }): TriggerInput => {
  const key = `acquire-due:${ids.syncId ?? ids.claimId}:${phase}:${++n}`;
  return { phase, userId: 'u-due', ...ids, payload: {}, idempotencyKey: key, requestHash: key, source: 'http' };
};

describeOnEngines('taking due events in one statement', (database) => {
  const db = () => database().db;
  const store = async (t: TriggerInput) => (await insertTrigger(db(), t, 3)).eventId;
  const stateOf = async (id: string) =>
    (await rows<{ status: string; attempts: number; locked_by: string | null }>(db(), sql`SELECT status, attempts, locked_by FROM phase_events WHERE id = ${id}`))[0];
  const auditOf = async (id: string) =>
    (await rows<{ from_status: string | null; to_status: string }>(db(), sql`SELECT from_status, to_status FROM phase_audit WHERE event_id = ${id} ORDER BY id`)).map(
      (a) => `${a.from_status ?? 'new'}→${a.to_status}`,
    );

  // Each test starts with no open event: acquireDue takes whatever is due in the inbox.
  beforeEach(async () => {
    await rows(db(), sql`DELETE FROM phase_events WHERE status IN ('pending', 'running') RETURNING id`);
  });

  it('starts the due events their lanes let start, each recorded and announced, up to the limit', async () => {
    const a1 = await store(trigger(1, { syncId: 'due-a' }));
    const b1 = await store(trigger(1, { syncId: 'due-b' }));
    const b2 = await store(trigger(2, { syncId: 'due-b' })); // held by phase 1 of its lane
    const c2 = await store(trigger(2, { syncId: 'due-c' }));
    const c3 = await store(trigger(3, { syncId: 'due-c' }));
    expect((await acquire(db(), c2, 'w1', 30_000, 50)).kind).toBe('acquired'); // its lane runs
    const d1 = await store(trigger(1, { syncId: 'due-d' }));
    await rows(db(), sql`UPDATE phase_events SET run_after = now() + interval '1 hour' WHERE id = ${d1} RETURNING id`); // not due

    const taken = await acquireDue(db(), 'w2', 30_000, 10);
    expect(taken?.events.map((e) => e.id).sort()).toEqual([a1, b1].sort());
    for (const id of [a1, b1]) {
      expect(await stateOf(id)).toEqual({ status: 'running', attempts: 1, locked_by: 'w2' });
      expect(await auditOf(id)).toEqual(['new→pending', 'pending→running']);
    }
    for (const id of [b2, c3, d1]) expect((await stateOf(id))?.status).toBe('pending');
    // The messages it wrote, already published, for the caller to send.
    expect(taken?.messages.map((m) => [m.payload.event_id, m.payload.status]).sort()).toEqual([[a1, 'running'], [b1, 'running']].sort());
    const stored = await rows<{ seq: string; published: boolean }>(
      db(),
      sql`SELECT seq, published_at IS NOT NULL AS published FROM outbox WHERE event_id IN (${a1}, ${b1}) AND payload->>'status' = 'running' ORDER BY seq`,
    );
    expect(taken?.messages.map((m) => m.seq)).toEqual(stored.map((r) => Number(r.seq)));
    expect(stored.every((r) => r.published)).toBe(true);

    const e1 = await store(trigger(1, { syncId: 'due-e' }));
    await store(trigger(1, { syncId: 'due-f' }));
    expect((await acquireDue(db(), 'w2', 30_000, 1))?.events.map((e) => e.id)).toEqual([e1]); // the first due
  });

  it('takes nothing when two due events of one lane meet, and the queue then reserves ids as before', async () => {
    // Two payouts of one claim: the first failed once and is due again, so it does not hold the second.
    const first = await store(trigger(7, { claimId: 'due-claim' }));
    const second = await store(trigger(7, { claimId: 'due-claim' }));
    await rows(db(), sql`UPDATE phase_events SET attempts = 1 WHERE id = ${first} RETURNING id`);
    expect(await acquireDue(db(), 'w3', 30_000, 10)).toBeUndefined();
    for (const id of [first, second]) expect((await stateOf(id))?.status).toBe('pending');

    const queue = createPostgresQueue(database(), { pollMs: 10, log: { error: () => undefined } });
    const handed: string[] = [];
    await queue.consume((id) => Promise.resolve(void handed.push(id)), { concurrency: 4, take: async (limit) => (await acquireDue(db(), 'w3', 30_000, limit)) && [] });
    try {
      await waitFor(() => handed.length >= 2, 'both ids reserved and handed over');
      expect(handed.sort()).toEqual([first, second].sort());
    } finally {
      await queue.close();
    }
  });

  it('reads the first due events in hand-out order from an index, not every pending row and a sort, with a backlog', async () => {
    // 2,000 due events of their own lanes, as after a burst of triggers: the few taken at a time are
    // found by walking phase_events_due_order; before it, each take read and sorted the whole backlog.
    await rows(db(), sql`INSERT INTO phase_events (id, idempotency_key, request_hash, phase, user_id, lane, payload, source, status, attempts,
        max_attempts, run_after, created_at, updated_at)
      SELECT 'backlog-' || g, 'backlog-' || g, 'h', 1, 'u-due', 'sync:backlog-' || g, '{}', 'http', 'pending', 0, 3, now(), now(), now()
      FROM generate_series(1, 2000) g RETURNING id`);
    await rows(db(), sql`ANALYZE phase_events`);
    const [plan] = await rows<{ 'QUERY PLAN': unknown }>(db(), sql`EXPLAIN (FORMAT JSON) ${dueUnheld(sql`8`)}`);
    const nodes: Array<{ 'Node Type': string; 'Index Name'?: string }> = [];
    const walk = (node: Record<string, unknown>) => {
      nodes.push(node as (typeof nodes)[number]);
      for (const child of (node.Plans as Array<Record<string, unknown>> | undefined) ?? []) walk(child);
    };
    const text = plan!['QUERY PLAN'];
    walk((typeof text === 'string' ? JSON.parse(text) : text)[0].Plan);
    expect(nodes.some((x) => x['Index Name'] === 'phase_events_due_order')).toBe(true);
    expect(nodes.map((x) => x['Node Type'])).not.toContain('Sort');
    expect(nodes.some((x) => x['Node Type'] === 'Seq Scan')).toBe(false);
    const taken = await acquireDue(db(), 'w4', 30_000, 8);
    // The first eight stored (all due at once, so in arrival order).
    expect(taken?.events.map((e) => e.id).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `backlog-${i + 1}`).sort());
  });
});
