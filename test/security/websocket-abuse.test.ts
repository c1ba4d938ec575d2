// A WebSocket client that misbehaves loses its own connection, and nobody else notices.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestClario, type TestClario } from '../support/clario.js';
import { testCapabilities } from '../support/capabilities.js';
import { waitFor } from '../support/wait.js';
import { openWs } from '../support/ws.js';
import { BAD_FRAMES, rawFrame as rawFrame_ } from '../../resilience/ws-frames.js';

let t: TestClario;
beforeAll(async () => {
  t = await startTestClario({ capabilities: testCapabilities() });
});
afterAll(async () => {
  await t.close();
});

const rawFrame = (token: string, frame: Buffer) => rawFrame_(t.url, token, frame);

describe('misbehaving WebSocket clients', () => {
  it('are disconnected alone while the service and other sellers carry on', async () => {
    const token = await t.sellerToken('victim');
    const bystander = await openWs(`${t.url.replace('http', 'ws')}/ws?token=${await t.sellerToken('bystander')}`);
    for (const { frame } of BAD_FRAMES) await rawFrame(token, frame);
    expect((await t.request('/healthz')).status).toBe(200);
    await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'bystander', sync_id: 'calm' } });
    await waitFor(() => bystander.messages.some((m) => m.phase === 4 && m.status === 'completed'), 'the bystander to keep receiving');
    bystander.close();
  });
});
