// The README's API examples do what it says: the user_123 trigger is accepted and parks
// (not connected, by design); the demo seller's trigger runs once the demo seller is connected.
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/store/db.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { connectDemoSeller } from '../support/connect.js';
import { waitFor } from '../support/wait.js';

/** The JSON bodies the README's `curl … /phase/1 … -d '…'` examples send, in order. */
function phaseOneBodies(): Array<Record<string, string>> {
  const readme = readFileSync('README.md', 'utf8');
  const bodies = [...readme.matchAll(/\/api\/v1\/workflow\/phase\/1 \\\n[^\n]*\n\s*-d '(.+)'\n/g)].map((m) => m[1] ?? '');
  // The shell splices a fresh number into the demo seller's sync_id.
  return bodies.map((b) => JSON.parse(b.replace(`'$(date +%s)'`, String(Date.now()))) as Record<string, string>);
}

describe("the README's API examples", () => {
  let t: TestClario;
  beforeAll(async () => {
    t = await startTestClario({ env: { WORKFLOW_MAX_ATTEMPTS: '5', WORKFLOW_LEASE_MS: '30000' } });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const phaseOne = async (userId: string, syncId: string) =>
    (await rows<{ status: string; last_error: { code: string } | null }>(t.clario.database.db, sql`SELECT status, last_error FROM phase_events WHERE phase = 1 AND user_id = ${userId} AND sync_id = ${syncId}`))[0];

  it('trigger the demo seller, which runs, and user_123, which parks as not connected', async () => {
    const bodies = phaseOneBodies();
    const demo = bodies.find((b) => b.user_id === 'seller_A1CLARIODEMO01');
    const other = bodies.find((b) => b.user_id === 'user_123');
    expect(demo?.sync_id).toMatch(/^manual_\d+$/);
    expect(other).toBeDefined();

    await connectDemoSeller(t);
    // As the README says: once the sync that connecting starts has finished.
    await waitFor(async () => (await rows<{ n: number }>(t.clario.database.db, sql`SELECT count(*)::int AS n FROM phase_events WHERE phase = 1 AND user_id = 'seller_A1CLARIODEMO01' AND status = 'completed'`))[0]?.n === 1, 'the first sync', 120_000);
    for (const body of [demo, other]) expect((await t.request('/api/v1/workflow/phase/1', { body })).status).toBe(202);

    // It runs (a second sync this soon then waits on the simulator's Amazon report rate limits,
    // so its end is not awaited here); user_123's never can.
    await waitFor(async () => ['running', 'completed'].includes((await phaseOne('seller_A1CLARIODEMO01', demo?.sync_id ?? ''))?.status ?? ''), "the demo seller's sync running", 60_000);
    await waitFor(async () => (await phaseOne('user_123', other?.sync_id ?? ''))?.status === 'failed', "user_123's phase 1 parked", 60_000);
    expect((await phaseOne('user_123', other?.sync_id ?? ''))?.last_error?.code).toBe('not_connected');
  }, 240_000);
});
