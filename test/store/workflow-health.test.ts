// The workflow's health figures (metrics) and the postgres queue's stats count events by status,
// each through its status's partial index: the counts must still be exactly the events in each.
import { expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createPostgresQueue } from '../../src/queue/postgres-queue.js';
import { rows } from '../../src/store/db.js';
import { workflowHealth } from '../../src/store/read-status.js';
import { insertTrigger } from '../../src/workflow/inbox.js';
import { silentLog } from '../../src/workflow/log.js';
import { describeOnEngines } from '../support/infra.js';

describeOnEngines('counting events by status', (database) => {
  it('counts failed, running, pending (due and not) and the oldest running event', async () => {
    const db = database().db;
    const ids: string[] = [];
    for (let i = 0; i < 9; i++) {
      const key = `health-${i}`;
      ids.push((await insertTrigger(db, { phase: 1, userId: 'u-health', syncId: key, payload: {}, idempotencyKey: key, requestHash: key, source: 'http' }, 3)).eventId);
    }
    const set = (i: number, change: ReturnType<typeof sql>) => rows(db, sql`UPDATE phase_events SET ${change} WHERE id = ${ids[i]}`);
    // 0–1 completed, 2 failed, 3 a phase 2 running for three minutes, 4–5 syncs running (5 for ten
    // minutes), 6 pending later, 7–8 pending now.
    for (const i of [0, 1]) await set(i, sql`status = 'completed'`);
    for (const i of [2, 3]) await set(i, sql`status = 'failed'`);
    await set(4, sql`status = 'running', updated_at = now()`);
    await set(5, sql`status = 'running', updated_at = now() - interval '10 minutes'`);
    // Ages are told apart by phase: a sync may run for hours, the other phases must not.
    await set(3, sql`status = 'running', phase = 2, lane = 'health-2', updated_at = now() - interval '3 minutes'`);
    await set(6, sql`run_after = now() + interval '1 hour'`);

    const health = await workflowHealth(db);
    const minutes = [...health.oldestRunningSeconds].map(([phase, seconds]) => [phase, Math.round(seconds / 60)]).sort();
    expect({ ...health, oldestRunningSeconds: minutes }).toEqual({ failed: 1, running: 3, pending: 3, oldestRunningSeconds: [[1, 10], [2, 3]] });
    const stats = await createPostgresQueue(database(), { pollMs: 1000, log: silentLog }).stats();
    expect(stats).toEqual({ waiting: 2, delayed: 1, active: 3, failed: 1 });
  });
});
