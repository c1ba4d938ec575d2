// A whole seller's workflow over HTTP and WebSocket, on real PostgreSQL, with each queue driver.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestClario, type TestClario } from '../support/clario.js';
import { testCapabilities } from '../support/capabilities.js';
import { describeWithPostgres, describeWithRedis } from '../support/infra.js';
import { waitFor } from '../support/wait.js';
import { openWs } from '../support/ws.js';

for (const queue of ['postgres', 'bullmq'] as const) {
  const describeIt = queue === 'bullmq' ? describeWithRedis : describeWithPostgres;
  describeIt(`a full workflow on PostgreSQL with the ${queue} queue`, () => {
    let t: TestClario;
    let healthy = true;
    const phaseRuns: number[] = [];
    beforeAll(async () => {
      t = await startTestClario({
        store: 'postgres',
        queue,
        capabilities: testCapabilities({
          claimsPerRun: 2,
          onPhase: (phase) => {
            phaseRuns.push(phase);
            if (phase === 6 && !healthy) throw new Error('learning store unavailable');
          },
        }),
      });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('runs 1→4 and a claim 5→7 with audit rows, sync_progress and WebSocket messages in order', async () => {
      const ws = await openWs(`${t.url.replace('http', 'ws')}/ws`, { authorization: `Bearer ${await t.sellerToken('seller-1')}` });
      const one = await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'seller-1', sync_id: 'run-1', seller_id: 'A1' } });
      expect(one.status).toBe(202);
      await waitFor(async () => {
        const s = await t.request('/api/v1/workflow/status/seller-1');
        return s.body.runs[0]?.phases.every((p: { status: string }) => p.status === 'completed');
      }, 'phases 1–4 to complete');

      const claimId = 'run-1-claim-0';
      expect((await t.request('/api/v1/workflow/claim/submitted', { body: { user_id: 'seller-1', claim_id: claimId, case_id: 'CASE-1' } })).status).toBe(202);
      await waitFor(async () => (await t.request(`/api/v1/workflow/audit?claim_id=${claimId}`)).body.entries.some((e: any) => e.phase === 5 && e.to === 'completed'));
      const paid = await t.request('/api/v1/workflow/payout/received', {
        body: { user_id: 'seller-1', case_id: 'CASE-1', payout_id: 'PAY-1', amount_minor: 1000, currency: 'USD' },
      });
      expect(paid.status).toBe(202);
      expect(paid.body.claim_id).toBe(claimId); // found by its case id
      await waitFor(async () => (await t.request(`/api/v1/workflow/audit?claim_id=${claimId}`)).body.entries.some((e: any) => e.phase === 7 && e.to === 'completed'));

      const audit = (await t.request('/api/v1/workflow/audit?user_id=seller-1&limit=1000')).body.entries as any[];
      const transitions = audit.map((e) => `${e.phase}:${e.to}`);
      expect(transitions).toEqual([
        '1:pending', '1:running', '1:completed',
        '2:running', '2:completed',
        '3:running', '3:completed',
        '4:running', '4:completed',
        '5:pending', '5:running', '5:completed',
        '7:pending', '7:running', '7:completed',
      ]);
      const status = (await t.request('/api/v1/workflow/status/seller-1')).body;
      expect(status.runs).toHaveLength(1);
      expect(status.runs[0].claim_phases).toEqual({ '5': { completed: 1 }, '7': { completed: 1 } });
      expect(status.claims.by_status).toEqual({ detected: 1, paid: 1 });

      // The seller saw every transition live, in order, and nothing else.
      await waitFor(() => ws.messages.filter((m) => m.type === 'workflow.phase').length >= transitions.length, 'websocket messages');
      const seen = ws.messages.filter((m) => m.type === 'workflow.phase');
      expect(seen.map((m) => `${m.phase}:${m.status}`)).toEqual(transitions);
      expect(seen.every((m) => m.user_id === 'seller-1')).toBe(true);
      expect(seen.find((m) => m.phase === 1)).toMatchObject({ name: 'onboarding', sync_id: 'run-1', event_id: one.body.event_id });
      expect(ws.messages.some((m) => m.type === 'workflow.progress' && m.data.reports_downloaded === 1)).toBe(true);
      ws.close();
    });

    it('processes the same trigger sent 50 times at once exactly once', async () => {
      const before = phaseRuns.filter((p) => p === 1).length;
      const body = { user_id: 'seller-2', sync_id: 'run-dup' };
      const answers = await Promise.all(Array.from({ length: 50 }, () => t.request('/api/v1/workflow/phase/1', { body })));
      expect(answers.filter((a) => a.status === 202)).toHaveLength(1);
      expect(answers.filter((a) => a.status === 200 && a.body.duplicate)).toHaveLength(49);
      expect(new Set(answers.map((a) => a.body.event_id)).size).toBe(1);
      await waitFor(async () => (await t.request('/api/v1/workflow/status/seller-2')).body.runs[0]?.phases[3]?.status === 'completed');
      expect(phaseRuns.filter((p) => p === 1).length - before).toBe(1);
    });

    it('retries a failing phase, parks it visibly, and a replay completes it', async () => {
      healthy = false;
      await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'seller-3', sync_id: 'run-3' } });
      await waitFor(async () => (await t.request('/api/v1/workflow/status/seller-3')).body.runs[0]?.phases[3]?.status === 'completed');
      await t.request('/api/v1/workflow/phase/5', { body: { user_id: 'seller-3', claim_id: 'run-3-claim-1', case_id: 'CASE-3' } });
      const rejected = await t.request('/api/v1/workflow/claim/rejected', { body: { user_id: 'seller-3', case_id: 'CASE-3', reason: 'missing invoice' } });
      const id = rejected.body.event_id as string;
      await waitFor(async () => (await t.request(`/api/v1/workflow/events/${id}`)).body.status === 'failed', 'the phase to park');
      const event = (await t.request(`/api/v1/workflow/events/${id}`)).body;
      expect(event.attempts).toBe(3);
      const status = (await t.request('/api/v1/workflow/status/seller-3')).body;
      expect(status.failed_events[0]).toMatchObject({ event_id: id, phase: 6, last_error: { message: 'learning store unavailable' } });
      const audit = (await t.request(`/api/v1/workflow/audit?event_id=${id}`)).body.entries.map((e: any) => e.to);
      expect(audit).toEqual(['pending', 'running', 'pending', 'running', 'pending', 'running', 'failed']);

      healthy = true;
      expect((await t.request(`/api/v1/workflow/events/${id}/replay`, { method: 'POST' })).status).toBe(200);
      await waitFor(async () => (await t.request(`/api/v1/workflow/events/${id}`)).body.status === 'completed', 'the replay');
      const again = await t.request(`/api/v1/workflow/events/${id}/replay`, { method: 'POST' });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('not_parked');
    });

    it('reports queue stats and metrics', async () => {
      const stats = (await t.request('/api/v1/workflow/queue/stats')).body;
      expect(stats).toMatchObject({ driver: queue, waiting: expect.any(Number), failed: expect.any(Number), websocket_clients: expect.any(Number) });
      const metrics = await t.request('/metrics');
      expect(metrics.body).toMatch(/clario_phase_transitions_total\{phase="1",outcome="completed"\} \d+/);
      expect(metrics.body).toMatch(/clario_phase_duration_seconds_bucket/);
      expect(metrics.body).toMatch(/clario_queue_jobs\{state="waiting"\}/);
      expect(metrics.body).toMatch(/clario_phase_events\{status="failed"\} \d+/);
      // Every metric the shipped alert rules use exists.
      const rules = readFileSync('ops/alerts.yml', 'utf8');
      const used = new Set([...rules.matchAll(/\b(clario_[a-z_]+)/g)].map((m) => m[1]!.replace(/_bucket$/, '')));
      expect(used.size).toBeGreaterThan(3);
      for (const name of used) expect(metrics.body, name).toContain(`# TYPE ${name} `);
    });
  });
}
