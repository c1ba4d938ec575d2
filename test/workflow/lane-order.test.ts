// A lane runs its events in the workflow's order (store/lane-order.ts): a phase waits for an earlier
// phase of its lane, even when its queue job is delivered first (issue #18: the sync/complete
// webhook's phase 2 ran before phase 1 and parked, unknown_sync), and even while the earlier one
// waits out a retry's backoff. A later phase stored first does not hold an earlier one, and an event
// retrying does not hold the next of its own phase.
import { expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { UnknownReferenceError } from '../../src/domain/errors.js';
import { PHASE_NUMBERS, type PhaseNumber } from '../../src/domain/phase.js';
import type { JobQueue, QueueJob } from '../../src/queue/job-queue.js';
import { createPostgresQueue } from '../../src/queue/postgres-queue.js';
import { rows } from '../../src/store/db.js';
import { acquire, complete, completeMany, fail, insertTrigger } from '../../src/workflow/inbox.js';
import { noObserver, silentLog } from '../../src/workflow/log.js';
import { createRunner } from '../../src/workflow/run-event.js';
import type { PhaseHandlers, TriggerInput } from '../../src/workflow/types.js';
import { completion } from '../support/completion.js';
import { describeOnEngines } from '../support/infra.js';
import { waitFor } from '../support/wait.js';

let n = 0;
const trigger = (phase: PhaseNumber, syncId: string): TriggerInput => {
  const key = `lane-order:${syncId}:${phase}:${++n}`;
  return { phase, userId: 'u1', syncId, payload: {}, idempotencyKey: key, requestHash: key, source: 'http' };
};

describeOnEngines('the order of a lane', (database) => {
  const db = () => database().db;

  const stateOf = async (id: string) =>
    (await rows<{ status: string; attempts: number }>(db(), sql`SELECT status, attempts FROM phase_events WHERE id = ${id}`))[0];

  /** An earlier attempt failed: the event waits out its backoff, pending but not due. */
  const inBackoff = (id: string) => rows(db(), sql`UPDATE phase_events SET attempts = 1, run_after = now() + interval '1 hour' WHERE id = ${id}`);

  async function running(t: TriggerInput) {
    const got = await acquire(db(), (await insertTrigger(db(), t, 3)).eventId, 'w1', 30_000, 50);
    if (got.kind !== 'acquired') throw new Error(`not acquired: ${got.kind}`);
    return got.event;
  }

  it('hands back a phase delivered before the earlier phase of its lane, runs that one, then it', async () => {
    // Each phase needs what the one before it records, as discovery needs phase 1's sync run.
    const ran: PhaseNumber[] = [];
    const handlers = Object.fromEntries(
      PHASE_NUMBERS.map((phase) => [
        phase,
        {
          phase,
          run: () => {
            ran.push(phase);
            if (phase > 1 && !ran.includes((phase - 1) as PhaseNumber)) throw new UnknownReferenceError('sync run is not known (yet)', 'unknown_sync');
            return Promise.resolve({ data: {} });
          },
        },
      ]),
    ) as unknown as PhaseHandlers;
    const notified: QueueJob[] = [];
    const queue: JobQueue = {
      driver: 'bullmq',
      readsInbox: false,
      notify: (jobs) => Promise.resolve(void notified.push(...jobs)),
      consume: () => Promise.resolve(),
      stats: () => Promise.resolve({ waiting: 0, delayed: 0, active: 0, failed: 0 }),
      pause: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
    const run = createRunner({
      database: database(),
      queue,
      handlers,
      workerId: 'w1',
      leaseMs: 30_000,
      maxAttempts: 3,
      // A failed attempt waits 30 s at least: nothing here waits for it.
      backoff: { baseMs: 60_000, maxMs: 120_000 },
      log: silentLog,
      observer: noObserver,
      onCommitted: () => undefined,
      send: () => undefined,
    });
    // An early webhook: phase 3 is stored and runs before phase 1 is stored, and waits to retry.
    const three = await insertTrigger(db(), trigger(3, 's1'), 3);
    await run(three.eventId);
    expect(ran).toEqual([3]);
    expect(await stateOf(three.eventId)).toEqual({ status: 'pending', attempts: 1 });
    const one = await insertTrigger(db(), trigger(1, 's1'), 3);
    const two = await insertTrigger(db(), trigger(2, 's1'), 3);

    // Phase 2's job comes first: handed back for later, not run.
    notified.length = 0;
    await run(two.eventId);
    expect(ran).toEqual([3]);
    expect(await stateOf(two.eventId)).toEqual({ status: 'pending', attempts: 0 });
    expect(notified.map((j) => j.id)).toEqual([two.eventId]);
    expect(notified[0]!.runAt.getTime()).toBeGreaterThan(two.runAfter.getTime());

    // Phase 1 runs (phase 3, stored before it, does not hold it), and its commit takes phase 2,
    // waiting in its lane, in the same slot; phase 2's leaves phase 3 to its retry.
    await run(one.eventId);
    expect(ran).toEqual([3, 1, 2]);
    expect(await stateOf(one.eventId)).toEqual({ status: 'completed', attempts: 1 });
    expect(await stateOf(two.eventId)).toEqual({ status: 'completed', attempts: 1 });
    expect(await stateOf(three.eventId)).toEqual({ status: 'pending', attempts: 1 });
  });

  it('keeps a later event waiting while an earlier one waits out its backoff, and runs it once that one parks', async () => {
    const earlier = await insertTrigger(db(), trigger(2, 's2'), 3);
    const later = await insertTrigger(db(), trigger(3, 's2'), 3);
    await inBackoff(earlier.eventId);
    const refused = await acquire(db(), later.eventId, 'w1', 30_000, 50);
    expect(refused.kind).toBe('later');
    expect(await stateOf(later.eventId)).toEqual({ status: 'pending', attempts: 0 });

    // The earlier one's retry comes due, runs and parks: the lane goes on with the later one.
    await rows(db(), sql`UPDATE phase_events SET run_after = now() WHERE id = ${earlier.eventId}`);
    const retry = await acquire(db(), earlier.eventId, 'w1', 30_000, 50);
    expect(retry.kind).toBe('acquired');
    const parked = await fail(db(), earlier.eventId, 'w1', { to: 'failed', error: { code: 'phase_error', message: 'boom' }, durationMs: 1 });
    expect(parked?.lanePending.map((p) => p.id)).toEqual([later.eventId]);
    await rows(db(), sql`UPDATE phase_events SET run_after = now() WHERE id = ${later.eventId}`);
    expect((await acquire(db(), later.eventId, 'w1', 30_000, 50)).kind).toBe('acquired');
  });

  it('holds an event behind an untried one of its phase, not behind one of its phase that retries', async () => {
    // A reversal stored before its payout fails, waiting for it, and retries: the payout, of the same
    // phase and stored after, must not wait for the reversal's retries, or neither would ever run.
    const first = await insertTrigger(db(), trigger(2, 's5'), 3);
    const second = await insertTrigger(db(), trigger(2, 's5'), 3);
    expect((await acquire(db(), second.eventId, 'w1', 30_000, 50)).kind).toBe('later');
    await inBackoff(first.eventId);
    await rows(db(), sql`UPDATE phase_events SET run_after = now() WHERE id = ${second.eventId}`);
    expect((await acquire(db(), second.eventId, 'w1', 30_000, 50)).kind).toBe('acquired');
  });

  it('lets a completion take the next event of its lane past one of the same phase that retries', async () => {
    const one = await running(trigger(1, 's6'));
    const retrying = await insertTrigger(db(), trigger(2, 's6'), 3);
    const next = await insertTrigger(db(), trigger(2, 's6'), 3);
    await inBackoff(retrying.eventId);
    const done = await complete(db(), one.id, 'w1', completion(one, []));
    expect(done?.started.map((e) => e.id)).toEqual([next.eventId]);
    expect(await stateOf(retrying.eventId)).toEqual({ status: 'pending', attempts: 1 });
  });

  it('does not let a completion take a later event of its lane past an earlier one in backoff', async () => {
    for (const [run, completeIt] of [
      ['s3', (id: string, c: ReturnType<typeof completion>) => complete(db(), id, 'w1', c)],
      ['s4', async (id: string, c: ReturnType<typeof completion>) => (await completeMany(db(), [{ id, workerId: 'w1', completion: c }]))[0]],
    ] as const) {
      const one = await running(trigger(1, run));
      const earlier = await insertTrigger(db(), trigger(2, run), 3);
      const later = await insertTrigger(db(), trigger(3, run), 3);
      await inBackoff(earlier.eventId);
      const done = await completeIt(one.id, completion(one, []));
      expect(done?.started, run).toEqual([]);
      expect(await stateOf(later.eventId), run).toEqual({ status: 'pending', attempts: 0 });
    }
  });
});

describeOnEngines('the postgres queue and the order of a lane', (database) => {
  it('does not hand out an event while an earlier one of its lane waits out its backoff', async () => {
    const db = database().db;
    const earlier = await insertTrigger(db, trigger(2, 'q1'), 3);
    const later = await insertTrigger(db, trigger(3, 'q1'), 3);
    await rows(db, sql`UPDATE phase_events SET attempts = 1, run_after = now() + interval '1 hour' WHERE id = ${earlier.eventId}`);
    // Due after `later`: the queue hands it out first only if it passes `later` over.
    const other = await insertTrigger(db, trigger(2, 'q2'), 3);
    const delivered: string[] = [];
    const queue = createPostgresQueue(database(), { pollMs: 20, log: silentLog });
    await queue.consume((id) => Promise.resolve(void delivered.push(id)), { concurrency: 1 });
    try {
      await waitFor(() => delivered.length > 0, 'a delivery');
      expect(delivered[0]).toBe(other.eventId);
    } finally {
      await queue.close();
    }
    expect(delivered).not.toContain(later.eventId);
  });
});
