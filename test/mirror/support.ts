// A Clario for the mirror's tests: without its own webhook delivery loop, so each test drives
// delivery with `deliverOnce()` and a clock it controls.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { createMirror, type Mirror, type MirrorOptions } from '../../src/mirror/index.js';
import { createSecretBox, parseKeys } from '../../src/security/secret-box.js';
import { testCapabilities } from '../support/capabilities.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import type { Clario } from '../../src/main.js';

export type MirrorClario = TestClario;

export function startMirrorClario(o: { store?: 'pglite' | 'postgres' } = {}): Promise<MirrorClario> {
  // The receivers here are plain http on loopback: the development switch allows them.
  return startTestClario({ store: o.store ?? 'pglite', capabilities: testCapabilities(), deliverWebhooks: false, env: { WEBHOOK_ALLOW_INSECURE: 'true' } });
}

/** A delivery loop on `clario`'s database whose clock the test moves forward by hand. */
export function testMirror(clario: Pick<Clario, 'database' | 'secrets'>, o: Partial<MirrorOptions> = {}): { mirror: Mirror; advance: (ms: number) => void; warnings: string[] } {
  let offset = 0;
  const warnings: string[] = [];
  const mirror = createMirror({
    database: clario.database,
    box: createSecretBox(parseKeys(clario.secrets.encryptionKeys)),
    log: { debug() {}, info() {}, error() {}, warn: (_obj, msg) => void warnings.push(msg) },
    timeoutMs: 2_000,
    retry: { baseMs: 1_000, maxMs: 4_000, spanMs: 20_000 },
    settleMs: 500,
    random: () => 0.5,
    // Real time flows too, so messages past a seq hole settle without the test doing anything.
    now: () => new Date(Date.now() + offset),
    destinations: { allowInsecure: true },
    ...o,
  });
  return { mirror, advance: (ms) => void (offset += ms), warnings };
}

export interface Received {
  readonly id: string;
  readonly seq: number;
  readonly type: string;
  readonly body: { type: string; timestamp: string; data: Record<string, unknown> };
  readonly signatureValid: boolean;
}

/**
 * A webhook receiver on loopback that checks each signature exactly as the Standard Webhooks spec
 * says. `respond` decides per request: a status (with headers), or 'hang' to never answer.
 */
export async function startReceiver(secret: string, respond: (n: number) => number | 'hang' | { status: number; headers: Record<string, string> } = () => 204) {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const accepted: Received[] = [];
  const attempts: Received[] = [];
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => resolve(body));
    });
  const server: Server = createServer((req, res) => {
    void read(req).then((raw) => {
      const id = String(req.headers['webhook-id']);
      const ts = String(req.headers['webhook-timestamp']);
      const expected = createHmac('sha256', key).update(`${id}.${ts}.${raw}`).digest('base64');
      const signatures = String(req.headers['webhook-signature']).split(' ');
      const body = JSON.parse(raw) as Received['body'];
      const r: Received = { id, seq: Number(id.replace('msg_', '')), type: body.type, body, signatureValid: signatures.includes(`v1,${expected}`) };
      attempts.push(r);
      const answer = respond(attempts.length);
      if (answer === 'hang') return;
      const { status, headers } = typeof answer === 'number' ? { status: answer, headers: {} } : answer;
      if (status >= 200 && status < 300) accepted.push(r);
      res.writeHead(status, headers).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    accepted,
    attempts,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
