// Intake batching: a burst of concurrent triggers, stored through the batcher, is answered as if
// each had been stored alone, and stores each idempotency key once, with one audit row and one
// outbox message for it.
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, rows, type Database } from '../../src/store/db.js';
import { createBatcher } from '../../src/workflow/batcher.js';
import { insertTrigger } from '../../src/workflow/inbox.js';
import { insertTriggers } from '../../src/workflow/insert-triggers.js';
import type { AcceptedTrigger, TriggerInput } from '../../src/workflow/types.js';
import { createTestDatabase, describeWithPostgres, openPglite, type TestDatabase } from '../support/infra.js';

const MAX_ATTEMPTS = 3;

/** A trigger drawn from small sets, so keys, lanes and phases repeat within a burst. */
const spec = fc.record({ key: fc.nat(5), body: fc.nat(1), phase: fc.constantFrom(1 as const, 2 as const), sync: fc.nat(2) });
type Spec = typeof spec extends fc.Arbitrary<infer S> ? S : never;

let namespace = 0;
function triggersOf(specs: readonly Spec[], prefix: string): TriggerInput[] {
  return specs.map((s) => ({
    phase: s.phase,
    userId: 'burst-user',
    syncId: `${prefix}-s${s.sync}`,
    payload: { body: s.body },
    idempotencyKey: `${prefix}-k${s.key}`,
    requestHash: `h${s.body}`,
    source: 'http',
  }));
}

type Answer = { ok: true; value: AcceptedTrigger } | { ok: false; error: unknown };
const answer = (p: Promise<AcceptedTrigger>): Promise<Answer> => p.then((value) => ({ ok: true, value }), (error: unknown) => ({ ok: false, error }));

/**
 * The answers with event ids replaced by who owns the event ("pre" for one stored before the
 * burst, else the index of the caller that stored it), so two runs under different keys compare.
 */
function normalise(answers: readonly Answer[], preStored: ReadonlyMap<string, string>): unknown[] {
  const owner = new Map<string, string>([...preStored].map(([id, key]) => [id, `pre:${key.split('-').at(-1)}`]));
  answers.forEach((a, i) => {
    if (a.ok && !a.value.duplicate && !owner.has(a.value.eventId)) owner.set(a.value.eventId, `caller:${i}`);
  });
  return answers.map((a) => {
    if (a.ok) return { duplicate: a.value.duplicate, phase: a.value.phase, syncId: a.value.syncId?.split('-').at(-1), event: owner.get(a.value.eventId) ?? 'unknown' };
    const e = a.error as { name?: string; eventId?: string };
    return { error: e.name, event: e.eventId ? owner.get(e.eventId) ?? 'unknown' : undefined };
  });
}

async function preStore(database: Database, triggers: readonly TriggerInput[]): Promise<Map<string, string>> {
  const stored = new Map<string, string>();
  for (const t of triggers) stored.set((await insertTrigger(database.db, t, MAX_ATTEMPTS)).eventId, t.idempotencyKey);
  return stored;
}

async function storedCounts(database: Database, prefix: string) {
  return rows<{ key: string; events: number; audit: number; outbox: number }>(database.db, sql`
    SELECT e.idempotency_key AS key, count(DISTINCT e.id)::int AS events,
      (SELECT count(*)::int FROM phase_audit a WHERE a.event_id = ANY(array_agg(e.id)) AND a.to_status = 'pending') AS audit,
      (SELECT count(*)::int FROM outbox o WHERE o.event_id = ANY(array_agg(e.id))) AS outbox
    FROM phase_events e WHERE e.idempotency_key LIKE ${`${prefix}-%`} GROUP BY e.idempotency_key`);
}

function burstTests(open: () => Promise<{ database: Database; close(): Promise<void> }>) {
  let handle: { database: Database; close(): Promise<void> };
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('answers each caller of a concurrent burst as the same triggers stored one by one, and stores each key once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(spec, { minLength: 1, maxLength: 24 }),
        fc.uniqueArray(spec, { maxLength: 3, selector: (s) => s.key }),
        fc.integer({ min: 1, max: 8 }),
        async (burst, before, maxBatch) => {
          const database = handle.database;
          // Sequentially, each trigger alone: the answers to match.
          const seqPrefix = `seq${namespace++}`;
          const seqPre = await preStore(database, triggersOf(before, seqPrefix));
          const sequential: Answer[] = [];
          for (const t of triggersOf(burst, seqPrefix)) sequential.push(await answer(insertTrigger(database.db, t, MAX_ATTEMPTS)));

          // The same burst, all at once through the batcher (one batch in flight: arrival order holds).
          const prefix = `burst${namespace++}`;
          const pre = await preStore(database, triggersOf(before, prefix));
          const batcher = createBatcher((ts: readonly TriggerInput[]) => insertTriggers(database.db, ts, MAX_ATTEMPTS, { send: () => undefined, poke: () => undefined }), { maxBatch, maxInFlight: 1 });
          const concurrent = await Promise.all(triggersOf(burst, prefix).map((t) => answer(batcher.submit(t))));

          expect(normalise(concurrent, pre)).toEqual(normalise(sequential, seqPre));
          for (const c of await storedCounts(database, prefix)) expect(c).toEqual({ key: c.key, events: 1, audit: 1, outbox: 1 });
        },
      ),
      { numRuns: 15 },
    );
  });

  it('with several batches in flight, still stores each key once and answers every caller from it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(spec, { minLength: 1, maxLength: 24 }), fc.integer({ min: 1, max: 4 }), async (burst, maxBatch) => {
        const database = handle.database;
        const prefix = `multi${namespace++}`;
        const triggers = triggersOf(burst, prefix);
        const batcher = createBatcher((ts: readonly TriggerInput[]) => insertTriggers(database.db, ts, MAX_ATTEMPTS, { send: () => undefined, poke: () => undefined }), { maxBatch, maxInFlight: 3 });
        const answers = await Promise.all(triggers.map((t) => answer(batcher.submit(t))));
        const stored = new Map(
          (await rows<{ id: string; idempotency_key: string; request_hash: string }>(database.db, sql`SELECT id, idempotency_key, request_hash FROM phase_events
            WHERE idempotency_key LIKE ${`${prefix}-%`}`)).map((r) => [r.idempotency_key, r]),
        );
        const firsts = new Set<string>();
        answers.forEach((a, i) => {
          const t = triggers[i]!;
          const row = stored.get(t.idempotencyKey)!;
          if (row.request_hash === t.requestHash) {
            expect(a.ok && a.value.eventId).toBe(row.id);
            if (a.ok && !a.value.duplicate) {
              expect(firsts.has(t.idempotencyKey)).toBe(false);
              firsts.add(t.idempotencyKey);
            }
          } else {
            expect(a.ok).toBe(false);
            expect(!a.ok && (a.error as { eventId?: string }).eventId).toBe(row.id);
          }
        });
        expect(firsts).toEqual(new Set(triggers.map((t) => t.idempotencyKey)));
        for (const c of await storedCounts(database, prefix)) expect(c).toEqual({ key: c.key, events: 1, audit: 1, outbox: 1 });
      }),
      { numRuns: 15 },
    );
  });
}

describe('intake batching on PGlite', () => {
  burstTests(async () => {
    const database = await openPglite();
    return { database, close: () => database.close() };
  });
});

describeWithPostgres('intake batching on PostgreSQL', () => {
  let db: TestDatabase;
  burstTests(async () => {
    db = await createTestDatabase();
    const database = await openDatabase({ url: db.url, poolSize: 4 });
    return {
      database,
      async close() {
        await database.close();
        await db.drop();
      },
    };
  });
});
