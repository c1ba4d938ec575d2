// The runner's statements (acquire, complete, completeMany) write their outbox rows already marked
// published and return them, for the runner to send once committed (the relay's `send`), as an
// intake batch does; rows of other writers (a trigger stored alone here) are left for the relay.
// Whatever is sent goes out in seq order.
import { expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/store/db.js';
import { createLocalBus, type BusMessage } from '../../src/realtime/bus.js';
import { acquire, complete, completeMany, insertTrigger } from '../../src/workflow/inbox.js';
import { insertTriggers } from '../../src/workflow/insert-triggers.js';
import { createOutboxRelay } from '../../src/workflow/outbox-relay.js';
import { silentLog } from '../../src/workflow/log.js';
import type { PhaseNumber } from '../../src/domain/phase.js';
import type { TriggerInput } from '../../src/workflow/types.js';
import { completion } from '../support/completion.js';
import { describeOnEngines } from '../support/infra.js';


let n = 0;
const trigger = (phase: PhaseNumber, run: string): TriggerInput => {
  const key = `os:${run}:${phase}:${++n}`;
  return { phase, userId: 'u-os', syncId: run, payload: {}, idempotencyKey: key, requestHash: key, source: 'internal' };
};

describeOnEngines('outbox rows sent by the runner', (database) => {
  const outboxOf = (eventIds: string[]) =>
    rows<{ seq: string | number; event_id: string; published: boolean; status: string }>(
      database().db,
      sql`SELECT seq, event_id, published_at IS NOT NULL AS published, payload->>'status' AS status FROM outbox
          WHERE event_id IN (${sql.join(eventIds.map((id) => sql`${id}`), sql`, `)}) ORDER BY seq`,
    );

  async function running(run: string, worker: string) {
    const accepted = await insertTrigger(database().db, trigger(1, run), 3);
    const got = await acquire(database().db, accepted.eventId, worker, 30_000, 50);
    if (got.kind !== 'acquired') throw new Error(`not acquired: ${got.kind}`);
    return got;
  }

  it('returns what acquire and complete wrote, already published, and leaves intake rows to the relay', async () => {
    const got = await running('os-1', 'w1');
    expect(got.messages.map((m) => [m.payload.event_id, m.payload.status])).toEqual([[got.event.id, 'running']]);
    const done = await complete(database().db, got.event.id, 'w1', completion(got.event, [trigger(2, 'os-1')]));
    const next = done?.started[0];
    expect(next?.phase).toBe(2);
    // Completed, then the next phase created running: in that order, with their outbox seqs.
    expect(done?.messages.map((m) => [m.payload.event_id, m.payload.status])).toEqual([
      [got.event.id, 'completed'],
      [next?.id, 'running'],
    ]);
    const stored = await outboxOf([got.event.id, next!.id]);
    expect(done?.messages.map((m) => m.seq)).toEqual(stored.slice(-2).map((r) => Number(r.seq)));
    expect(done?.messages.every((m) => m.payload.seq === m.seq && m.userId === 'u-os' && m.type === 'workflow.phase')).toBe(true);
    // Only the intake's row waits for the relay.
    expect(stored.map((r) => [r.status, r.published])).toEqual([
      ['pending', false],
      ['running', true],
      ['completed', true],
      ['running', true],
    ]);
  });

  it('gives each completion of a batch the messages about its own events', async () => {
    const a = await running('os-2', 'w2');
    const b = await running('os-3', 'w2');
    const [da, db] = await completeMany(database().db, [
      { id: a.event.id, workerId: 'w2', completion: completion(a.event, [trigger(2, 'os-2')]) },
      { id: b.event.id, workerId: 'w2', completion: completion(b.event, []) },
    ]);
    const nextA = da?.started[0];
    expect(da?.messages.map((m) => [m.payload.event_id, m.payload.status])).toEqual([
      [a.event.id, 'completed'],
      [nextA?.id, 'running'],
    ]);
    expect(db?.messages.map((m) => [m.payload.event_id, m.payload.status])).toEqual([[b.event.id, 'completed']]);
    expect((await outboxOf([a.event.id, b.event.id, nextA!.id])).filter((r) => r.status !== 'pending' || r.event_id === nextA?.id).every((r) => r.published)).toBe(true);
  });

  it('sends what an intake batch wrote, already published, and nothing for a repeat', async () => {
    const sent: BusMessage[] = [];
    let pokes = 0;
    const out = { send: (m: BusMessage[]) => void sent.push(...m), poke: () => void pokes++ };
    const [a, b] = [trigger(1, 'os-5'), trigger(1, 'os-6')];
    const first = await insertTriggers(database().db, [a, b], 3, out);
    const ids = first.map((r) => (r.ok ? r.value.eventId : ''));
    expect(sent.map((m) => [m.payload.event_id, m.payload.status])).toEqual([
      [ids[0], 'pending'],
      [ids[1], 'pending'],
    ]);
    const stored = await outboxOf(ids);
    expect(sent.map((m) => m.seq)).toEqual(stored.map((r) => Number(r.seq)));
    expect(stored.every((r) => r.published)).toBe(true);
    expect(pokes).toBe(0);
    // The same keys again: duplicates, nothing new written or sent.
    sent.length = 0;
    const again = await insertTriggers(database().db, [a, b], 3, out);
    expect(again.map((r) => r.ok && r.value.duplicate)).toEqual([true, true]);
    expect(sent).toEqual([]);
  });

  it('sends handed messages with what a drain finds, by seq, each once', async () => {
    const bus = createLocalBus();
    const published: BusMessage[][] = [];
    await bus.subscribe((m) => published.push([...m]));
    const relay = createOutboxRelay({ database: database(), bus, log: silentLog, intervalMs: 60_000 });
    await relay.drain(); // what the tests above left for the relay
    published.length = 0;
    const got = await running('os-4', 'w3');
    // The intake's row is due to be drained (a poke after its commit) when the runner hands its own.
    relay.poke();
    relay.send(got.messages);
    const ofEvent = () => published.flat().filter((m) => m.payload.event_id === got.event.id);
    await expect.poll(() => ofEvent().length).toBe(2);
    const seen = ofEvent();
    expect(seen.map((m) => m.payload.status)).toEqual(['pending', 'running']);
    expect(published).toHaveLength(1);
    await relay.stop();
  });
});
