// OpenTelemetry traces with an in-memory exporter: one HTTP trigger is one trace, from the trigger
// through the queue (the traceparent stored with the phase event), each phase attempt, its
// effects and Amazon calls, the outbox publish and the webhook delivery, each span under its parent.
import { sql } from 'drizzle-orm';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSpApiClient } from '../../src/amazon/sp-api.js';
import { currentTraceParent, inSpan, startTracing, type Tracing } from '../../src/observability/tracing.js';
import { waitFor } from '../support/wait.js';
import { startMirrorClario, startReceiver, testMirror, type MirrorClario } from '../mirror/support.js';
import { rows } from '../../src/store/db.js';

const exporter = new InMemorySpanExporter();
let tracing: Tracing | undefined;
let t: MirrorClario;

beforeAll(async () => {
  tracing = await startTracing({}, { exporter });
  t = await startMirrorClario();
});
afterAll(async () => {
  await t?.close();
  await tracing?.shutdown();
});

const spans = () => exporter.getFinishedSpans();
const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;
const idOf = (s: ReadableSpan) => s.spanContext().spanId;

describe('traces', () => {
  it('is off without OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    expect(await startTracing({})).toBeUndefined();
    expect(await startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toBeUndefined();
  });

  it('follows one trigger as one trace: phase attempts, effects, outbox publish and webhook delivery', async () => {
    const secret = 'whsec_' + Buffer.alloc(32, 9).toString('base64');
    const receiver = await startReceiver(secret);
    const sub = await t.request('/api/v1/subscriptions', { body: { url: receiver.url, secret } });
    expect(sub.status).toBe(201);
    const { mirror } = testMirror(t.clario);

    const one = await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'u-trace', sync_id: 'trace-run', seller_id: 'A1' } });
    expect(one.status).toBe(202);
    await waitFor(async () => (await t.request('/api/v1/workflow/status/u-trace')).body.runs?.[0]?.phases?.[3]?.status === 'completed', 'phase 4 completed');
    // Phase 7 (a claim's payout) records a fee effect: the provider's call is a span of its attempt.
    const claimId = 'trace-run-claim-0';
    expect((await t.request('/api/v1/workflow/claim/submitted', { body: { user_id: 'u-trace', claim_id: claimId, case_id: 'CASE-T' } })).status).toBe(202);
    await waitFor(async () => (await t.request(`/api/v1/workflow/audit?claim_id=${claimId}`)).body.entries.some((e: any) => e.phase === 5 && e.to === 'completed'), 'phase 5');
    const paid = await t.request('/api/v1/workflow/payout/received', { body: { user_id: 'u-trace', case_id: 'CASE-T', payout_id: 'PAY-T', amount_minor: 1000, currency: 'USD' } });
    expect(paid.status).toBe(202);
    await waitFor(async () => (await t.request(`/api/v1/workflow/audit?claim_id=${claimId}`)).body.entries.some((e: any) => e.phase === 7 && e.to === 'completed'), 'phase 7');
    // The webhook worker (driven here, as another process would) delivers everything.
    await waitFor(async () => {
      await mirror.deliverOnce();
      const [end] = await rows<{ m: string | number }>(t.clario.database.db, sql`SELECT coalesce(max(seq), 0) AS m FROM outbox`);
      return (await t.request(`/api/v1/subscriptions/${sub.body.id}`)).body.delivery.last_delivered_seq === Number(end?.m);
    }, 'webhooks delivered');
    const publishedIn = (id: string | undefined) =>
      spans().some((p) => p.name === 'clario.outbox.publish' && (p.spanContext().traceId === id || p.links.some((l) => l.context.traceId === id)));

    // The sync's trace: the trigger, then phases 1→4, each the child of the one before.
    const trigger = spans().find((s) => s.name === 'clario.trigger' && s.attributes['clario.event_id'] === one.body.event_id);
    expect(trigger).toBeDefined();
    const traceId = trigger?.spanContext().traceId;
    const inTrace = () => spans().filter((s) => s.spanContext().traceId === traceId);
    const phase = (n: number) => inTrace().find((s) => s.name === `clario.phase ${n}`);
    const p1 = phase(1);
    expect(p1 && parentOf(p1)).toBe(trigger && idOf(trigger));
    for (const n of [2, 3, 4]) {
      const p = phase(n);
      const before = phase(n - 1);
      expect(p, `phase ${n}`).toBeDefined();
      expect(p && parentOf(p), `phase ${n}'s parent`).toBe(before && idOf(before));
    }

    // Stored with the event, so a worker in another process continues the same trace.
    const [stored] = await rows<{ trace_parent: string | null }>(t.clario.database.db, sql`SELECT trace_parent FROM phase_events WHERE id = ${one.body.event_id}`);
    expect(stored?.trace_parent).toBe(`00-${traceId}-${trigger && idOf(trigger)}-01`);

    // Webhook deliveries of this sync's messages are in the trace, under a span of it.
    const ids = new Set(inTrace().map(idOf));
    const deliveries = inTrace().filter((s) => s.name === 'clario.webhook.deliver');
    expect(deliveries.length).toBeGreaterThan(3);
    expect(deliveries.every((d) => ids.has(parentOf(d) ?? ''))).toBe(true);
    // The outbox publish to the sellers' sockets as well.
    await waitFor(() => publishedIn(traceId), 'the outbox publish span');

    // The payout's trace: its trigger, phase 7's attempt and the fee effect under it.
    const payTrigger = spans().find((s) => s.name === 'clario.trigger' && s.attributes['clario.event_id'] === paid.body.event_id);
    expect(payTrigger).toBeDefined();
    const p7 = spans().find((s) => s.name === 'clario.phase 7' && s.spanContext().traceId === payTrigger?.spanContext().traceId);
    expect(p7 && parentOf(p7)).toBe(payTrigger && idOf(payTrigger));
    const fee = spans().find((s) => s.name === 'clario.effect charge_fee');
    expect(fee && parentOf(fee)).toBe(p7 && idOf(p7));
    await mirror.stop();
    await receiver.close();
  });

  it("continues the caller's trace when the trigger carries a traceparent, and stores only its own span's", async () => {
    const caller = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const r = await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'u-trace-caller', sync_id: 'caller-run' }, headers: { traceparent: caller } });
    expect(r.status).toBe(202);
    const trigger = spans().find((s) => s.name === 'clario.trigger' && s.attributes['clario.event_id'] === r.body.event_id);
    expect(trigger?.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(trigger && parentOf(trigger)).toBe('00f067aa0ba902b7');
    const [stored] = await rows<{ trace_parent: string | null }>(t.clario.database.db, sql`SELECT trace_parent FROM phase_events WHERE id = ${r.body.event_id}`);
    expect(stored?.trace_parent).toBe(`00-4bf92f3577b34da6a3ce929d0e0e4736-${trigger && idOf(trigger)}-01`);
    // A malformed header starts a trace of Clario's own.
    const bad = await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'u-trace-caller', sync_id: 'caller-run-2' }, headers: { traceparent: 'not-a-trace' } });
    const own = spans().find((s) => s.name === 'clario.trigger' && s.attributes['clario.event_id'] === bad.body.event_id);
    expect(own).toBeDefined();
    expect(own && parentOf(own)).toBeUndefined();
  });

  it('makes each SP-API request a client span of the attempt that made it', async () => {
    const client = createSpApiClient({
      sellerId: 'A1',
      baseUrl: 'https://sellingpartnerapi-na.amazon.com',
      accessToken: () => Promise.resolve('Atza|token'),
      limiter: false,
      fetch: () => Promise.resolve(new Response(JSON.stringify({ payload: { FinancialEvents: {} } }), { status: 200, headers: { 'content-type': 'application/json' } })),
    });
    let parent = '';
    await inSpan('clario.phase 1', {}, async () => {
      parent = currentTraceParent() ?? '';
      for await (const page of client.finances.listFinancialEvents({ postedAfter: '2026-01-01T00:00:00Z' })) expect(page).toBeDefined();
    });
    const call = spans().find((s) => s.name === 'amazon.sp-api GET');
    expect(call?.attributes['url.path']).toBe('/finances/v0/financialEvents');
    // The access token travels in a header, never in what the span records.
    expect(JSON.stringify(call?.attributes)).not.toContain('Atza');
    expect(call && `00-${call.spanContext().traceId}-${parentOf(call)}-01`).toBe(parent);
  });
});
