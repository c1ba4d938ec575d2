// The WebSocket's edge: a session cookie opens /ws only from Clario's own pages (no cross-site
// WebSocket hijacking), sockets are capped per process and per user with a 503 on the upgrade,
// and a handshake left half-open is closed by a timeout.
import { createServer } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { handshakeDeadline } from '../../src/realtime/handshake.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { waitFor } from '../support/wait.js';

interface Opened {
  readonly status: number;
  readonly ws?: WebSocket;
}

/** Opens /ws and resolves with 101 and the socket, or the refusal's HTTP status. */
function upgrade(t: TestClario, headers: Record<string, string>, query = ''): Promise<Opened> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${t.url.replace('http', 'ws')}/ws${query}`, { headers });
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    ws.on('open', () => resolve({ status: 101, ws }));
    ws.on('error', () => resolve({ status: 0 }));
  });
}

async function closeAll(opened: Opened[]): Promise<void> {
  await Promise.all(
    opened.map((o) =>
      o.ws && o.ws.readyState !== WebSocket.CLOSED ? new Promise<void>((resolve) => (o.ws?.once('close', () => resolve()), o.ws?.close())) : Promise.resolve(),
    ),
  );
}

describe('the Origin of a cookie-authenticated upgrade', () => {
  let t: TestClario;
  let cookie: string;
  beforeAll(async () => {
    t = await startTestClario();
    cookie = `clario_session=${await t.sellerToken('alice')}`;
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses a session cookie sent from another site (403)', async () => {
    expect((await upgrade(t, { cookie, origin: 'http://evil.example' })).status).toBe(403);
    expect((await upgrade(t, { cookie, origin: 'null' })).status).toBe(403);
    expect((await upgrade(t, { cookie })).status).toBe(403);
  });

  it("accepts it from Clario's own origin, as 127.0.0.1 or localhost", async () => {
    const port = new URL(t.url).port;
    const opened = [await upgrade(t, { cookie, origin: `http://127.0.0.1:${port}` }), await upgrade(t, { cookie, origin: `http://localhost:${port}` })];
    expect(opened.map((o) => o.status)).toEqual([101, 101]);
    await closeAll(opened);
    expect((await upgrade(t, { cookie, origin: `http://127.0.0.1:${Number(port) + 1}` })).status).toBe(403);
  });

  it('lets a token holder (a non-browser client, or the dashboard with ?token=) in without an Origin', async () => {
    const token = await t.sellerToken('alice');
    const opened = [await upgrade(t, { authorization: `Bearer ${token}` }), await upgrade(t, { cookie, origin: 'http://evil.example' }, `?token=${token}`)];
    expect(opened.map((o) => o.status)).toEqual([101, 101]);
    await closeAll(opened);
  });
});

describe('caps on open sockets', () => {
  let t: TestClario;
  beforeAll(async () => {
    t = await startTestClario({ env: { WS_MAX_CONNECTIONS: '3', WS_MAX_CONNECTIONS_PER_USER: '2' } });
  });
  afterAll(async () => {
    await t.close();
  });

  const metric = async (name: string) => {
    const text = (await t.request('/metrics')).body as string;
    const line = text.split('\n').find((l) => l.startsWith(name));
    return line ? Number(line.split(' ').pop()) : undefined;
  };

  it('refuses the upgrade past the per-user and the global cap with 503, and the metrics show it', async () => {
    const as = async (user: string) => upgrade(t, { authorization: `Bearer ${await t.sellerToken(user)}` });
    const a = [await as('a'), await as('a')];
    const thirdOfA = await as('a');
    const b = await as('b');
    const c = await as('c');
    expect([...a, thirdOfA, b, c].map((o) => o.status)).toEqual([101, 101, 503, 101, 503]);
    expect(await metric('clario_websocket_sockets')).toBe(3);
    expect(await metric('clario_websocket_refused_total{reason="user_capacity"}')).toBe(1);
    expect(await metric('clario_websocket_refused_total{reason="capacity"}')).toBe(1);
    // A closed socket gives its slot back.
    await closeAll([b]);
    await waitFor(async () => (await metric('clario_websocket_sockets')) === 2, 'the slot to be given back');
    const again = await as('c');
    expect(again.status).toBe(101);
    await closeAll([...a, again]);
  });
});

describe('half-open handshakes', () => {
  it('a WebSocket handshake whose headers never finish is closed by the headers timeout', async () => {
    const t = await startTestClario({ env: { HTTP_HEADERS_TIMEOUT_MS: '200' } });
    try {
      const socket = net.connect(Number(new URL(t.url).port), '127.0.0.1');
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.on('error', () => undefined);
      socket.resume(); // read what the server says (a 408), so its closing reaches us
      socket.write('GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n');
      await closed;
      // The service is still there for everyone else.
      expect((await t.request('/healthz')).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('an upgrade that is never answered is dropped at the handshake deadline', async () => {
    const server = createServer();
    // Stands for authentication stuck on the database: the upgrade arrives and nothing answers it.
    server.on('upgrade', () => undefined);
    handshakeDeadline(server, 100);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const socket = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.on('error', () => undefined);
      socket.resume(); // read what the server says (a 408), so its closing reaches us
      socket.write('GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
      await closed;
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
