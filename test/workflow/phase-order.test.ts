// The runner refuses what the domain's tables refuse: a next phase the phase table does not list
// (canFollow) and a status move the status machine does not allow (canTransition).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createPostgresQueue } from '../../src/queue/postgres-queue.js';
import { createLocalBus } from '../../src/realtime/bus.js';
import type { Database } from '../../src/store/db.js';
import { phaseEvents } from '../../src/store/schema/workflow-tables.js';
import { createEngine, type Engine } from '../../src/workflow/engine.js';
import { noObserver, silentLog } from '../../src/workflow/log.js';
import { createPhaseHandlers } from '../../src/workflow/steps.js';
import { transitionCtes } from '../../src/workflow/transitions.js';
import type { NextTrigger, PhaseHandlers } from '../../src/workflow/types.js';
import { testCapabilities } from '../support/capabilities.js';
import { openPglite } from '../support/infra.js';
import { waitFor } from '../support/wait.js';

// One database for the file (each test has its own sync run), one engine per test.
let database: Database;
let engine: Engine | undefined;

beforeAll(async () => {
  database = await openPglite();
});

afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

afterAll(async () => {
  await database.close();
});

/** An engine whose phase 1 completes asking for `next`, instead of the sync it would start. */
async function startWithPhaseOneAsking(next: NextTrigger[]) {
  const handlers: PhaseHandlers = {
    ...createPhaseHandlers(testCapabilities(), { waitForFilingMs: 20 }),
    1: { phase: 1, run: () => Promise.resolve({ data: { asked: next.map((n) => n.phase) }, next }) },
  };
  engine = createEngine({
    database,
    queue: createPostgresQueue(database, { pollMs: 20, log: silentLog }),
    bus: createLocalBus(),
    handlers,
    log: silentLog,
    observer: noObserver,
    worker: { concurrency: 2, maxAttempts: 3, leaseMs: 5000, backoff: { baseMs: 10, maxMs: 40 } },
  });
  engine.startRelay();
  await engine.startWorker();
  return { db: database.db, engine };
}

const trigger = (syncId: string) => ({
  phase: 1 as const,
  userId: 'u1',
  syncId,
  payload: { user_id: 'u1', sync_id: syncId },
  idempotencyKey: `phase-order:${syncId}`,
  requestHash: `phase-order:${syncId}`,
  source: 'http' as const,
});

describe('the order of phases', () => {
  it('parks a phase that asks to start one the phase table does not let follow it, and starts nothing', async () => {
    const { db, engine } = await startWithPhaseOneAsking([{ phase: 3, syncId: 'skip' }]);
    const accepted = await engine.accept(trigger('skip'));
    await waitFor(async () => (await engine.findEvent(accepted.eventId))?.status === 'failed', 'phase 1 parked');
    const [event] = await db.select().from(phaseEvents).where(eq(phaseEvents.id, accepted.eventId));
    expect(event?.lastError?.message).toMatch(/phase 1 \(onboarding\) may not start phase 3; it may start 2/);
    expect(event?.attempts).toBe(1); // not retried: the same handler would ask again
    expect(await db.select().from(phaseEvents).where(and(eq(phaseEvents.syncId, 'skip'), eq(phaseEvents.phase, 3)))).toEqual([]);
  });

  it('starts the phase the table lets follow', async () => {
    const { db, engine } = await startWithPhaseOneAsking([{ phase: 2, syncId: 'next' }]);
    const accepted = await engine.accept(trigger('next'));
    await waitFor(async () => (await engine.findEvent(accepted.eventId))?.status === 'completed', 'phase 1 completed');
    expect(await db.select({ phase: phaseEvents.phase }).from(phaseEvents).where(and(eq(phaseEvents.syncId, 'next'), eq(phaseEvents.phase, 2)))).toEqual([{ phase: 2 }]);
  });
});

describe('the status of a phase event', () => {
  const write = (from: 'pending' | 'running' | 'completed' | 'failed' | null, to: 'pending' | 'running' | 'completed' | 'failed') => () =>
    transitionCtes('t', { source: 'e', spec: { from, to } });

  it('is written only for the moves the status machine allows', () => {
    for (const [from, to] of [[null, 'pending'], [null, 'running'], ['pending', 'running'], ['running', 'completed'], ['running', 'pending'], ['running', 'failed'], ['failed', 'pending']] as const) {
      expect(write(from, to), `${from} → ${to}`).not.toThrow();
    }
  });

  it('is refused, before any SQL runs, for a move that reopens, skips or starts elsewhere than pending or running', () => {
    expect(write('completed', 'pending')).toThrow(/cannot move from completed to pending/);
    expect(write('failed', 'running')).toThrow(/cannot move from failed to running/);
    expect(write('pending', 'completed')).toThrow(/cannot move from pending to completed/);
    expect(write(null, 'completed')).toThrow(/cannot move from \(new\) to completed/);
    expect(write(null, 'failed')).toThrow(/cannot move from \(new\) to failed/);
  });
});
