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
function phaseOneBodies(seller: string): Array<Record<string, string>> {
  const readme = readFileSync('README.md', 'utf8');
  const bodies = [...readme.matchAll(/\/api\/v1\/workflow\/phase\/1 \\\n[^\n]*\n\s*-d '(.+)'\n/g)].map((m) => m[1] ?? '');
  // The shell splices a fresh number into the demo seller's sync_id.
  return bodies.map((b) => JSON.parse(b.replace(`'$(date +%s)'`, String(Date.now())).replace(`'$SELLER'`, seller)) as Record<string, string>);
}

describe("the README's API examples", () => {
  let t: TestClario;
  beforeAll(async () => {
    // The demo seller's sync is still running at the end (its rate-limit waits last minutes):
    // startTestClario's shutdown bound of 0 hands it back at once.
    t = await startTestClario({ env: { WORKFLOW_MAX_ATTEMPTS: '5', WORKFLOW_LEASE_MS: '30000' } });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const phaseOne = async (userId: string, syncId: string) =>
    (await rows<{ status: string; last_error: { code: string } | null }>(t.clario.database.db, sql`SELECT status, last_error FROM phase_events WHERE phase = 1 AND user_id = ${userId} AND sync_id = ${syncId}`))[0];

  it('trigger the demo seller, which runs, and user_123, which parks as not connected', async () => {
    // The README's $SELLER is the user id the demo seller's first sign-in made.
    const { userId: seller } = await connectDemoSeller(t);
    const bodies = phaseOneBodies(seller);
    const demo = bodies.find((b) => b.user_id === seller);
    const other = bodies.find((b) => b.user_id === 'user_123');
    expect(demo?.sync_id).toMatch(/^manual_\d+$/);
    expect(other).toBeDefined();

    for (const body of [demo, other]) expect((await t.request('/api/v1/workflow/phase/1', { body })).status).toBe(202);

    // The demo seller's trigger is stored and waits its turn behind the sync that connecting
    // started (or runs): nothing refuses it. How long a sync of the demo seller takes depends on
    // the machine, so its end is not awaited; user_123's phase 1 never can run.
    const demoStatus = (await phaseOne(seller, demo?.sync_id ?? ''))?.status;
    expect(['pending', 'running', 'completed']).toContain(demoStatus);
    await waitFor(async () => (await phaseOne('user_123', other?.sync_id ?? ''))?.status === 'failed', "user_123's phase 1 parked", 60_000);
    expect((await phaseOne('user_123', other?.sync_id ?? ''))?.last_error?.code).toBe('not_connected');
    // Parking user_123 did not park the demo seller's.
    expect((await phaseOne(seller, demo?.sync_id ?? ''))?.status).not.toBe('failed');
  }, 240_000);
});
