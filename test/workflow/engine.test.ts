import { afterEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { createLocalBus, type BusMessage } from '../../src/realtime/bus.js';
import { createPostgresQueue } from '../../src/queue/postgres-queue.js';
import { type Database } from '../../src/store/db.js';
import { phaseAudit, phaseEvents, syncProgress } from '../../src/store/schema/workflow-tables.js';
import { openPglite } from '../support/infra.js';
import { createEngine, type Engine } from '../../src/workflow/engine.js';
import { createPhaseHandlers } from '../../src/workflow/steps.js';
import { silentLog, noObserver } from '../../src/workflow/log.js';
import { unavailableCapabilities, type Capabilities } from '../../src/workflow/capabilities.js';
import type { TriggerInput } from '../../src/workflow/types.js';
import { testCapabilities } from '../support/capabilities.js';
import { waitFor } from '../support/wait.js';

let database: Database | undefined;
let engine: Engine | undefined;

afterEach(async () => {
  await engine?.stop();
  await database?.close();
  engine = undefined;
  database = undefined;
});

async function start(caps: Capabilities, maxAttempts = 3) {
  database = await openPglite();
  const bus = createLocalBus();
  const messages: BusMessage[] = [];
  await bus.subscribe((m) => messages.push(...m));
  const queue = createPostgresQueue(database, { pollMs: 20, log: silentLog });
  engine = createEngine({
    database,
    queue,
    bus,
    handlers: createPhaseHandlers(caps, { waitForFilingMs: 20 }),
    log: silentLog,
    observer: noObserver,
    worker: { concurrency: 4, maxAttempts, leaseMs: 5000, backoff: { baseMs: 10, maxMs: 40 } },
  });
  engine.startRelay();
  await engine.startWorker();
  return { db: database.db, messages, engine };
}

function trigger(phase: 1 | 2 | 3 | 4 | 5 | 6 | 7, body: Record<string, unknown>, key?: string): TriggerInput {
  const k = key ?? `${phase}:${JSON.stringify(body)}`;
  return {
    phase,
    userId: String(body.user_id),
    syncId: body.sync_id as string | undefined,
    claimId: body.claim_id as string | undefined,
    caseId: body.case_id as string | undefined,
    payload: body,
    idempotencyKey: k,
    requestHash: k,
    source: 'http',
  };
}

describe('the workflow engine', () => {
  it('runs phases 1 to 4 of a sync run in order, with audit rows and progress', async () => {
    const { db, engine } = await start(testCapabilities());
    await engine.accept(trigger(1, { user_id: 'u1', sync_id: 's1', seller_id: 'A1' }));
    await waitFor(async () => {
      const rows = await db.select().from(syncProgress).where(eq(syncProgress.lane, 'sync:s1'));
      return rows.length === 4 && rows.every((r) => r.status === 'completed');
    });
    const audit = await db.select().from(phaseAudit).where(eq(phaseAudit.syncId, 's1')).orderBy(asc(phaseAudit.id));
    // Phase 1 is stored, then taken; each later phase is created running by the commit that completes the one before it.
    expect(audit.map((a) => `${a.phase}:${a.toStatus}`)).toEqual([
      '1:pending', '1:running', '1:completed',
      '2:running', '2:completed',
      '3:running', '3:completed',
      '4:running', '4:completed',
    ]);
  });

  it('parks a phase whose capability is not available, and says so', async () => {
    const { db, engine } = await start(unavailableCapabilities());
    const accepted = await engine.accept(trigger(1, { user_id: 'u1', sync_id: 's2' }));
    await waitFor(async () => (await engine.findEvent(accepted.eventId))?.status === 'failed');
    const [event] = await db.select().from(phaseEvents).where(eq(phaseEvents.id, accepted.eventId));
    expect(event?.lastError?.code).toBe('not_available');
    expect(event?.attempts).toBe(1); // not retried: retrying cannot make it available
  });

  it('retries a throwing phase with backoff, parks it, and a replay completes it', async () => {
    let failures = 0;
    let healthy = false;
    const caps = testCapabilities({
      onPhase: (phase) => {
        if (phase === 1 && !healthy) {
          failures++;
          throw new Error('Amazon is having a bad day');
        }
      },
    });
    const { engine } = await start(caps, 3);
    const accepted = await engine.accept(trigger(1, { user_id: 'u1', sync_id: 's3' }));
    await waitFor(async () => (await engine.findEvent(accepted.eventId))?.status === 'failed');
    expect(failures).toBe(3);
    healthy = true;
    expect(await engine.replay(accepted.eventId)).toBeDefined();
    await waitFor(async () => (await engine.findEvent(accepted.eventId))?.status === 'completed');
    expect(await engine.replay(accepted.eventId)).toBeUndefined(); // only parked events replay
  });

  it('stores a repeated trigger once', async () => {
    const { db, engine } = await start(testCapabilities());
    const results = await Promise.all(Array.from({ length: 50 }, () => engine.accept(trigger(1, { user_id: 'u1', sync_id: 's4' }, 'same-key'))));
    expect(new Set(results.map((r) => r.eventId)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    const rows = await db.select().from(phaseEvents).where(eq(phaseEvents.idempotencyKey, 'same-key'));
    expect(rows).toHaveLength(1);
  });
});
