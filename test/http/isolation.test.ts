// A seller sees only their own data, over HTTP and over the WebSocket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestClario, type TestClario } from '../support/clario.js';
import { testCapabilities } from '../support/capabilities.js';
import { waitFor } from '../support/wait.js';
import { openWs } from '../support/ws.js';

let t: TestClario;
let alice: string;
let bob: string;
beforeAll(async () => {
  t = await startTestClario({ capabilities: testCapabilities() });
  alice = await t.sellerToken('alice');
  bob = await t.sellerToken('bob');
});
afterAll(async () => {
  await t.close();
});

describe('seller isolation', () => {
  it("keeps one seller's status, audit and events from another", async () => {
    const b = await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'bob', sync_id: 'bob-run' } });
    await waitFor(async () => (await t.request('/api/v1/workflow/status/bob', { token: bob })).body.runs[0]?.phases[3]?.status === 'completed');

    expect((await t.request('/api/v1/workflow/status/bob', { token: alice })).status).toBe(403);
    expect((await t.request('/api/v1/workflow/audit?user_id=bob', { token: alice })).status).toBe(403);
    const ownAudit = await t.request('/api/v1/workflow/audit?sync_id=bob-run', { token: alice });
    expect(ownAudit.status).toBe(200);
    expect(ownAudit.body.entries).toEqual([]); // filtered to alice, whatever she asks for
    expect((await t.request(`/api/v1/workflow/events/${b.body.event_id}`, { token: alice })).status).toBe(404);
    expect((await t.request(`/api/v1/workflow/events/${b.body.event_id}`, { token: bob })).status).toBe(200);
    expect((await t.request('/api/v1/workflow/audit?sync_id=bob-run', { token: bob })).body.entries.length).toBeGreaterThan(0);
    // The service reads anyone's log, everyone's when it names no one; an empty user_id never means "no filter".
    expect((await t.request('/api/v1/workflow/audit?sync_id=bob-run')).body.entries.length).toBeGreaterThan(0);
    expect((await t.request('/api/v1/workflow/audit?sync_id=bob-run&user_id=alice')).body.entries).toEqual([]);
    expect((await t.request('/api/v1/workflow/audit?sync_id=bob-run&user_id=')).status).toBe(400);
    expect((await t.request('/api/v1/workflow/audit?user_id=', { token: alice })).status).toBe(400);
  });

  it("sends a seller only their own messages on the WebSocket", async () => {
    const wsUrl = `${t.url.replace('http', 'ws')}/ws`;
    const a = await openWs(`${wsUrl}?token=${alice}`);
    const b = await openWs(wsUrl, { authorization: `Bearer ${bob}` });
    await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'bob', sync_id: 'bob-run-2' } });
    await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'alice', sync_id: 'alice-run' } });
    await waitFor(() => b.messages.some((m) => m.phase === 4 && m.status === 'completed') && a.messages.some((m) => m.phase === 4 && m.status === 'completed'));
    expect(a.messages.length).toBeGreaterThan(0);
    expect(a.messages.every((m) => m.user_id === 'alice')).toBe(true);
    expect(b.messages.every((m) => m.user_id === 'bob')).toBe(true);
    a.close();
    b.close();
  });

  it('closes the WebSocket of a seller who names another seller, as HTTP answers 403', async () => {
    const wsUrl = `${t.url.replace('http', 'ws')}/ws`;
    const probing = await openWs(`${wsUrl}?token=${alice}&user_id=bob`);
    expect(await probing.closed).toEqual({ code: 1008, reason: 'you can only see your own data' });
    expect(probing.messages).toEqual([]);
    // Naming themself is naming no one.
    const own = await openWs(`${wsUrl}?token=${alice}&user_id=alice`);
    await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'alice', sync_id: 'alice-named' } });
    await waitFor(() => own.messages.some((m) => m.sync_id === 'alice-named' && m.phase === 4 && m.status === 'completed'), 'her own messages');
    expect(own.messages.every((m) => m.user_id === 'alice')).toBe(true);
    own.close();
  });

  it('closes the WebSocket of the service when it names no seller', async () => {
    const wsUrl = `${t.url.replace('http', 'ws')}/ws`;
    expect(await (await openWs(`${wsUrl}?token=${t.serviceToken}`)).closed).toEqual({ code: 1008, reason: 'the service token must name the seller: user_id' });
  });

  it('refuses a WebSocket upgrade without a valid token', async () => {
    const wsUrl = `${t.url.replace('http', 'ws')}/ws`;
    await expect(openWs(wsUrl)).rejects.toThrow(/401/);
    await expect(openWs(`${wsUrl}?token=forged`)).rejects.toThrow(/401/);
    await expect(openWs(wsUrl, { authorization: `Bearer ${alice.slice(0, -3)}xyz` })).rejects.toThrow(/401/);
  });

  it('replays what a seller missed with ?since=, and only theirs', async () => {
    const first = await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'alice', sync_id: 'alice-run-2' } });
    await waitFor(async () => (await t.request('/api/v1/workflow/status/alice', { token: alice })).body.runs.find((r: any) => r.sync_id === 'alice-run-2')?.phases[3]?.status === 'completed');
    const late = await openWs(`${t.url.replace('http', 'ws')}/ws?token=${alice}&since=${first.body.event_id}`);
    await waitFor(() => late.messages.some((m) => m.phase === 4 && m.status === 'completed' && m.sync_id === 'alice-run-2'), 'the replay');
    const phases = late.messages.filter((m) => m.type === 'workflow.phase').map((m) => `${m.phase}:${m.status}`);
    expect(phases.slice(-6)).toEqual(['2:running', '2:completed', '3:running', '3:completed', '4:running', '4:completed']);
    expect(late.messages.every((m) => m.user_id === 'alice')).toBe(true);
    const seqs = late.messages.map((m) => m.seq);
    expect(new Set(seqs).size).toBe(seqs.length); // no repeats
    late.close();

    const probing = await openWs(`${t.url.replace('http', 'ws')}/ws?token=${alice}&since=${(await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'bob', sync_id: 'bob-3' } })).body.event_id}`);
    await waitFor(() => probing.messages.length > 0);
    expect(probing.messages[0]).toMatchObject({ type: 'error', code: 'unknown_since' });
    probing.close();
  });
});
