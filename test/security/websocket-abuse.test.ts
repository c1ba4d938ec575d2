// A WebSocket client that misbehaves loses its own connection, and nobody else notices.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestClario, type TestClario } from '../support/clario.js';
import { testCapabilities } from '../support/capabilities.js';
import { waitFor } from '../support/wait.js';
import { openWs } from '../support/ws.js';

let t: TestClario;
beforeAll(async () => {
  t = await startTestClario({ capabilities: testCapabilities() });
});
afterAll(async () => {
  await t.close();
});

/** Opens a raw socket, upgrades, writes `frame` bytes, and resolves when the server closes it (its close frame, or the TCP end). */
async function rawFrame(token: string, frame: Buffer): Promise<void> {
  const { port } = new URL(t.url);
  const socket = net.connect(Number(port), '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  socket.write(
    `GET /ws?token=${token} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  await new Promise((r) => socket.once('data', r)); // 101 Switching Protocols
  socket.write(frame);
  await new Promise<void>((resolve) => {
    socket.on('data', (d: Buffer) => {
      if ((d[0]! & 0x0f) === 0x8) resolve();
    });
    socket.once('close', () => resolve());
    socket.once('error', () => resolve());
  });
  socket.destroy();
}

const mask = Buffer.from([1, 2, 3, 4]);
const masked = (opcode: number, payload: Buffer) =>
  Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length]), mask, Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!))]);

describe('misbehaving WebSocket clients', () => {
  it('are disconnected alone while the service and other sellers carry on', async () => {
    const token = await t.sellerToken('victim');
    const bystander = await openWs(`${t.url.replace('http', 'ws')}/ws?token=${await t.sellerToken('bystander')}`);
    await rawFrame(token, Buffer.from([0x81, 0x02, 0x68, 0x69])); // a client frame without a mask
    await rawFrame(token, masked(0x1, Buffer.from([0xff, 0xfe, 0xfd]))); // text that is not UTF-8
    await rawFrame(token, masked(0x3, Buffer.from('x'))); // reserved opcode
    // A binary frame that announces 4 GiB, far over the 64 KiB limit: refused before any is read.
    await rawFrame(token, Buffer.concat([Buffer.from([0x82, 0xff, 0, 0, 0, 1, 0, 0, 0, 0]), mask]));
    expect((await t.request('/healthz')).status).toBe(200);
    await t.request('/api/v1/workflow/phase/1', { body: { user_id: 'bystander', sync_id: 'calm' } });
    await waitFor(() => bystander.messages.some((m) => m.phase === 4 && m.status === 'completed'), 'the bystander to keep receiving');
    bystander.close();
  });
});
