// Group commit writes the completions a worker reaches together in one statement. Gathering the
// turn (PGlite's setting) waits for the end of the event-loop turn, so completions reached in one
// turn share a statement; otherwise the first is written at once and the rest follow together.
// One statement is one transaction, so the completions it wrote share their audit rows' `at`.
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { rows } from '../../src/store/db.js';
import { createGroupCommitter } from '../../src/workflow/group-commit.js';
import { acquire, insertTrigger } from '../../src/workflow/inbox.js';
import type { TriggerInput } from '../../src/workflow/types.js';
import { completion } from '../support/completion.js';
import { describeOnEngines } from '../support/infra.js';

let n = 0;
const trigger = (syncId: string): TriggerInput => {
  const key = `group-commit:${syncId}:${++n}`;
  return { phase: 4, userId: 'u-gc', syncId, payload: {}, idempotencyKey: key, requestHash: key, source: 'http' };
};

describeOnEngines('group commit', (database) => {
  const db = () => database().db;

  async function running(syncId: string) {
    const got = await acquire(db(), (await insertTrigger(db(), trigger(syncId), 3)).eventId, 'w-gc', 30_000, 50);
    if (got.kind !== 'acquired') throw new Error(`not acquired: ${got.kind}`);
    return got.event;
  }

  /** How many transactions wrote the completions of `ids`: distinct times of their audit rows. */
  const commits = async (ids: string[]) =>
    (await rows<{ n: number }>(db(), sql`SELECT count(DISTINCT at)::int AS n FROM phase_audit WHERE to_status = 'completed' AND event_id IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`))[0]?.n;

  for (const gatherTurn of [true, false]) {
    it(gatherTurn ? 'writes the completions of one turn in one statement when it gathers the turn' : 'writes a completion at once, and those reached meanwhile together', async () => {
      const events = await Promise.all(['a', 'b', 'c'].map((s) => running(`gc-${gatherTurn}-${s}`)));
      const committer = createGroupCommitter(db(), { maxInFlight: 1, maxBatch: 64, gatherTurn });
      const done = await Promise.all(events.map((e) => committer.complete(e.id, 'w-gc', completion(e, []))));
      expect(done.every((d) => d !== undefined)).toBe(true);
      expect(await commits(events.map((e) => e.id))).toBe(gatherTurn ? 1 : 2);
    });
  }
});
