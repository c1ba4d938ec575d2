// A worker killed with SIGKILL in the middle of a phase, after its effect reached the provider
// but before it committed: nothing is lost and the effect is not repeated.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { claims } from '../../src/store/schema/claims-tables.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { compiledEntry } from '../support/compiled.js';
import { createTestDatabase, describeWithPostgres, describeWithRedis, type TestDatabase } from '../support/infra.js';
import { chargingCapabilities, startProvider, type Provider } from '../support/provider.js';
import { waitFor } from '../support/wait.js';

const WORKER = await compiledEntry('test/fixtures/crash-worker.ts');

function startChild(env: Record<string, string>): { child: ChildProcess; lines: string[]; exited: Promise<NodeJS.Signals | number | null> } {
  const child = spawn(process.execPath, [WORKER], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)));
  const exited = new Promise<NodeJS.Signals | number | null>((r) => child.on('exit', (code, signal) => r(signal ?? code)));
  return { child, lines, exited };
}

for (const queue of ['postgres', 'bullmq'] as const) {
  const describeIt = queue === 'bullmq' ? describeWithRedis : describeWithPostgres;
  describeIt(`a worker killed mid-phase (${queue} queue)`, () => {
    let db: TestDatabase;
    let provider: Provider;
    let api: TestClario;
    let survivor: TestClario | undefined;
    let child: ChildProcess | undefined;

    beforeAll(async () => {
      db = await createTestDatabase();
      provider = await startProvider();
      api = await startTestClario({ store: 'postgres', queue, database: db, role: 'api', env: { WORKFLOW_LEASE_MS: '1500' } });
    });
    afterAll(async () => {
      child?.kill('SIGKILL');
      await survivor?.close();
      await api?.close();
      await provider?.close();
      await db?.drop();
    });

    it('loses nothing and charges once', async () => {
      await api.clario.database.db.insert(claims).values({
        id: 'claim-k', userId: 'seller-k', type: 'lost_warehouse', status: 'filed', caseId: 'CASE-K', amountMinor: 5000, currency: 'USD',
      });
      const started = startChild({ ...api.env, PROVIDER_URL: provider.url });
      child = started.child;
      await waitFor(() => started.lines.some((l) => l.startsWith('READY')), 'the child worker to start');

      const paid = await api.request('/api/v1/workflow/payout/received', {
        body: { user_id: 'seller-k', claim_id: 'claim-k', case_id: 'CASE-K', payout_id: 'PAY-K', amount_minor: 5000, currency: 'USD' },
      });
      expect(paid.status).toBe(202);
      await waitFor(() => started.lines.includes('EFFECT_DONE'), 'the child to make its charge');
      child.kill('SIGKILL');
      expect(await started.exited).toBe('SIGKILL');
      expect(provider.effects.get('fee:PAY-K')).toBe(1);
      const held = await api.clario.engine.findEvent(paid.body.event_id);
      expect(held?.status).toBe('running'); // the dead worker still holds it

      survivor = await startTestClario({
        store: 'postgres', queue, database: db, role: 'worker', env: { WORKFLOW_LEASE_MS: '1500' },
        capabilities: chargingCapabilities(provider.url),
      });
      await waitFor(async () => (await api.clario.engine.findEvent(paid.body.event_id))?.status === 'completed', 'recovery', 60_000);

      expect(provider.effects.get('fee:PAY-K')).toBe(1); // reconciled, not charged again
      expect(provider.calls.perform).toBe(1);
      expect(provider.calls.lookup).toBeGreaterThanOrEqual(1);
      const audit = (await api.request(`/api/v1/workflow/audit?event_id=${paid.body.event_id}`)).body.entries;
      expect(audit.map((e: any) => e.to)).toEqual(['pending', 'running', 'pending', 'running', 'completed']);
      expect(audit[2].error.code).toBe('worker_lost');
    });
  });
}
