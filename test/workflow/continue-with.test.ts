// The commit that completes a phase hands its worker the next event of the workflow (inbox.ts,
// Completion.continueWith): one next phase started by that commit, the rest of its lane held for
// the same worker, or, with no next phase, the lane's next pending event taken by the commit.
// On both engines: the statement relies on the completion running before the start.
import { expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/store/db.js';
import { acquire, complete, completeMany, fail, insertTrigger } from '../../src/workflow/inbox.js';
import type { PhaseNumber } from '../../src/domain/phase.js';
import type { TriggerInput } from '../../src/workflow/types.js';
import { completion } from '../support/completion.js';
import { describeOnEngines } from '../support/infra.js';


let n = 0;
const trigger = (phase: PhaseNumber, run: string, extra: Partial<TriggerInput> = {}): TriggerInput => {
  const key = `cw:${run}:${phase}:${++n}`;
  return { phase, userId: 'u1', syncId: run, claimId: phase >= 5 ? `c-${run}` : undefined, payload: {}, idempotencyKey: key, requestHash: key, source: 'internal', ...extra };
};

describeOnEngines('continuing with the next event', (database) => {
  async function running(t: TriggerInput, worker: string) {
    const accepted = await insertTrigger(database().db, t, 3);
    const got = await acquire(database().db, accepted.eventId, worker, 30_000, 50);
    if (got.kind !== 'acquired') throw new Error(`not acquired: ${got.kind}`);
    return got.event;
  }

  const statusOf = async (id: string) =>
    (await rows<{ status: string; locked_by: string | null }>(database().db, sql`SELECT status, locked_by FROM phase_events WHERE id = ${id}`))[0];

  const auditOf = async (id: string) =>
    (await rows<{ from_status: string | null; to_status: string }>(database().db, sql`SELECT from_status, to_status FROM phase_audit WHERE event_id = ${id} ORDER BY id`)).map(
      (a) => `${a.from_status ?? 'new'}→${a.to_status}`,
    );

  it('starts the first next phase for this worker, holds the rest of its lane, and the lane completion takes them', async () => {
    const five = await running(trigger(5, 'r1'), 'w1');
    const done = await complete(database().db, five.id, 'w1', completion(five, [trigger(6, 'r1'), trigger(7, 'r1')]));
    expect(done?.started.map((e) => e.phase)).toEqual([6]);
    expect(done?.held.map((e) => e.phase)).toEqual([7]);
    expect(done?.queued).toEqual([]);
    const six = done!.started[0]!;
    const seven = done!.held[0]!;
    expect(await statusOf(six.id)).toEqual({ status: 'running', locked_by: 'w1' });
    expect(await statusOf(seven.eventId)).toEqual({ status: 'pending', locked_by: null });
    // Created and started by one commit: one status change, one message, attempt 1.
    expect(await auditOf(six.id)).toEqual(['new→running']);
    const [startAudit] = await rows<{ attempt: number; worker_id: string; data: unknown }>(database().db, sql`SELECT attempt, worker_id, data FROM phase_audit WHERE event_id = ${six.id}`);
    expect(startAudit).toEqual({ attempt: 1, worker_id: 'w1', data: { source: 'internal' } });
    const sixMessages = await rows<{ payload: { status: string; attempt: number } }>(database().db, sql`SELECT payload FROM outbox WHERE event_id = ${six.id} ORDER BY seq`);
    expect(sixMessages.map((m) => [m.payload.status, m.payload.attempt])).toEqual([['running', 1]]);

    // Phase 6 starts nothing: its commit takes phase 7, waiting in its lane.
    const after = await complete(database().db, six.id, 'w1', completion(six, []));
    expect(after?.started.map((e) => [e.id, e.phase, e.attempts])).toEqual([[seven.eventId, 7, 1]]);
    expect(await statusOf(six.id)).toEqual({ status: 'completed', locked_by: null });
    expect(await statusOf(seven.eventId)).toEqual({ status: 'running', locked_by: 'w1' });
    expect(await auditOf(seven.eventId)).toEqual(['new→pending', 'pending→running']);
    const [progress] = await rows<{ status: string; event_id: string }>(database().db, sql`SELECT status, event_id FROM sync_progress WHERE lane = ${six.lane} AND phase = 7`);
    expect(progress).toEqual({ status: 'running', event_id: seven.eventId });

    // Nothing left in the lane: the last completion takes nothing.
    const last = await complete(database().db, seven.eventId, 'w1', completion(after!.started[0]!, []));
    expect(last?.started).toEqual([]);
  });

  it('starts a next phase of another lane when that lane is free', async () => {
    const four = await running(trigger(4, 'r2'), 'w1');
    const done = await complete(database().db, four.id, 'w1', completion(four, [trigger(5, 'r2')]));
    expect(done?.started.map((e) => [e.phase, e.lane])).toEqual([[5, 'claim:c-r2']]);
    expect(done?.queued).toEqual([]);
  });

  it('queues the next phase when its lane is busy, and still commits', async () => {
    const other = await running(trigger(6, 'r3'), 'w2');
    const four = await running(trigger(4, 'r3'), 'w1');
    const done = await complete(database().db, four.id, 'w1', completion(four, [trigger(5, 'r3')]));
    expect(done?.started).toEqual([]);
    expect(done?.queued.map((e) => e.phase)).toEqual([5]);
    expect(await statusOf(four.id)).toEqual({ status: 'completed', locked_by: null });
    expect(await statusOf(other.id)).toEqual({ status: 'running', locked_by: 'w2' });
  });

  it('commits several completions in one statement, each a compare-and-set of its own', async () => {
    const four = await running(trigger(4, 'g1'), 'w1');
    const five = await running(trigger(5, 'g2'), 'w1');
    const six = await running(trigger(6, 'g3'), 'w1');
    const seven = await insertTrigger(database().db, trigger(7, 'g3'), 3);
    const notOurs = await running(trigger(4, 'g4'), 'w2');
    const results = await completeMany(database().db, [
      { id: four.id, workerId: 'w1', completion: completion(four, [trigger(5, 'g1')]) },
      { id: five.id, workerId: 'w1', completion: completion(five, [trigger(6, 'g2'), trigger(7, 'g2')]) },
      { id: notOurs.id, workerId: 'w1', completion: completion(notOurs, [trigger(5, 'g4')]) },
      { id: six.id, workerId: 'w1', completion: { ...completion(six, []), result: { found: 3 } } },
    ]);
    expect(results.map((r) => r && { started: r.started.map((e) => e.phase), held: r.held.map((e) => e.phase), queued: r.queued.map((e) => e.phase) })).toEqual([
      { started: [5], held: [], queued: [] },
      { started: [6], held: [7], queued: [] },
      undefined,
      { started: [7], held: [], queued: [] },
    ]);
    expect(results[3]?.started[0]?.id).toBe(seven.eventId);
    expect(await statusOf(notOurs.id)).toEqual({ status: 'running', locked_by: 'w2' });
    // Nothing was started for the completion that was refused.
    const [events] = await rows<{ n: number }>(database().db, sql`SELECT count(*)::int AS n FROM phase_events WHERE sync_id = 'g4'`);
    expect(events?.n).toBe(1);
    for (const e of [four, five, six]) {
      expect(await statusOf(e.id)).toEqual({ status: 'completed', locked_by: null });
      expect(await auditOf(e.id)).toEqual(['new→pending', 'pending→running', 'running→completed']);
    }
    // Started by the batch's commit: created running, one status change each.
    for (const r of [results[0], results[1]]) expect(await auditOf(r!.started[0]!.id)).toEqual(['new→running']);
    // Taken from its lane: it had been stored pending.
    expect(await auditOf(seven.eventId)).toEqual(['new→pending', 'pending→running']);
    const [audit] = await rows<{ duration_ms: number; data: unknown; worker_id: string }>(database().db, sql`SELECT duration_ms, data, worker_id FROM phase_audit WHERE event_id = ${six.id} AND to_status = 'completed'`);
    expect(audit).toEqual({ duration_ms: 1, data: { found: 3 }, worker_id: 'w1' });
    const [message] = await rows<{ payload: { status: string; data: unknown } }>(database().db, sql`SELECT payload FROM outbox WHERE event_id = ${six.id} ORDER BY seq DESC LIMIT 1`);
    expect(message?.payload).toMatchObject({ status: 'completed', data: { found: 3 } });
    const [progress] = await rows<{ status: string }>(database().db, sql`SELECT status FROM sync_progress WHERE lane = ${four.lane} AND phase = 4`);
    expect(progress?.status).toBe('completed');
  });

  it('commits a batch of each shape: only completions, only next phases queued, only started, only taken', async () => {
    const alone = (e: { lane: string; phase: number }, next: TriggerInput[]) => ({ ...completion(e, next), continueWith: undefined });
    // Completions alone: no next phase, nothing to continue with.
    const a = await running(trigger(7, 'sh-a'), 'w1');
    expect((await completeMany(database().db, [{ id: a.id, workerId: 'w1', completion: alone(a, []) }]))[0]).toMatchObject({ started: [], queued: [], held: [] });
    // Next phases queued only (no continuing).
    const b = await running(trigger(5, 'sh-b'), 'w1');
    const [queuedOnly] = await completeMany(database().db, [{ id: b.id, workerId: 'w1', completion: alone(b, [trigger(6, 'sh-b'), trigger(7, 'sh-b')]) }]);
    expect(queuedOnly?.queued.map((e) => e.phase).sort()).toEqual([6, 7]);
    expect(queuedOnly?.started).toEqual([]);
    // Started only, for two completions.
    const c = await running(trigger(1, 'sh-c'), 'w1');
    const d = await running(trigger(2, 'sh-d'), 'w1');
    const startedOnly = await completeMany(database().db, [
      { id: c.id, workerId: 'w1', completion: completion(c, [trigger(2, 'sh-c')]) },
      { id: d.id, workerId: 'w1', completion: completion(d, [trigger(3, 'sh-d')]) },
    ]);
    expect(startedOnly.map((r) => r?.started.map((e) => e.phase))).toEqual([[2], [3]]);
    // Taken only: the lane's pending event, started by the commit.
    const e = await running(trigger(6, 'sh-e'), 'w1');
    const waiting = await insertTrigger(database().db, trigger(7, 'sh-e'), 3);
    const [taken] = await completeMany(database().db, [{ id: e.id, workerId: 'w1', completion: completion(e, []) }]);
    expect(taken?.started.map((x) => x.id)).toEqual([waiting.eventId]);
    for (const x of [a, b, c, d, e]) expect(await statusOf(x.id)).toEqual({ status: 'completed', locked_by: null });
    expect(await auditOf(waiting.eventId)).toEqual(['new→pending', 'pending→running']);
    expect(await auditOf(startedOnly[0]!.started[0]!.id)).toEqual(['new→running']);
  });

  it('gives the queue what waited in the lane when the phase fails instead', async () => {
    const five = await running(trigger(5, 'r4'), 'w1');
    const done = await complete(database().db, five.id, 'w1', completion(five, [trigger(6, 'r4'), trigger(7, 'r4')]));
    const six = done!.started[0]!;
    const failed = await fail(database().db, six.id, 'w1', { to: 'failed', error: { code: 'phase_error', message: 'boom' }, durationMs: 1 });
    expect(failed?.lanePending.map((p) => p.id)).toEqual([done!.held[0]!.eventId]);
  });
});
