// Webhook subscriptions cannot be turned against Clario's own network (SSRF): refused when
// created, refused again at delivery (old rows, DNS that changes, every spelling of loopback),
// redirects never followed, and the failure recorded as a category that maps no ports.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addressRefusal, destinationRefusal, urlRefusal, type Resolve } from '../../src/mirror/index.js';
import { insertSubscription } from '../../src/mirror/store.js';
import { createSecretBox, parseKeys } from '../../src/security/secret-box.js';
import { testCapabilities } from '../support/capabilities.js';
import { startTestClario, type TestClario } from '../support/clario.js';
import { waitFor } from '../support/wait.js';
import { startReceiver, testMirror } from './support.js';
import { rows } from '../../src/store/db.js';

const SECRET = 'whsec_' + Buffer.alloc(32, 9).toString('base64');

let t: TestClario;
beforeAll(async () => {
  // The production default: WEBHOOK_ALLOW_INSECURE is not set.
  t = await startTestClario({ capabilities: testCapabilities(), deliverWebhooks: false });
});
afterAll(async () => {
  await t.close();
});
beforeEach(async () => {
  await rows(t.clario.database.db, sql`WITH c AS (DELETE FROM subscription_cursors) DELETE FROM subscriptions`);
});

const LOOPBACK_SPELLINGS = [
  'https://127.0.0.1/hook',
  'https://0x7f000001/hook',
  'https://2130706433/hook',
  'https://127.1/hook',
  'https://017700000001/hook',
  'https://[::ffff:127.0.0.1]/hook',
  'https://[::1]/hook',
  'https://localhost/hook',
  'https://api.localhost/hook',
];
const INTERNAL = [
  'https://169.254.169.254/latest/meta-data/',
  'https://10.0.0.1/hook',
  'https://172.16.5.4/hook',
  'https://192.168.1.1/hook',
  'https://100.64.0.1/hook',
  'https://100.100.100.200/hook',
  'https://224.0.0.1/hook',
  'https://0.0.0.0/hook',
  'https://[::]/hook',
  'https://[fd00:ec2::254]/hook',
  'https://[fe80::1]/hook',
  'https://[::ffff:169.254.169.254]/hook',
];

describe('creating a subscription', () => {
  it.each([...LOOPBACK_SPELLINGS, ...INTERNAL])('refuses %s with 400 and the reason', async (url) => {
    const r = await t.request('/api/v1/subscriptions', { body: { url, secret: SECRET } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_request');
    // The destination check's reason, never the schema's "Invalid URL" (IPv6 literals were).
    expect(r.body.error.message).toMatch(/^the URL is refused: \S+ is an? \w+ (address|name)$/);
  });

  it('judges an IPv4-mapped IPv6 address as the IPv4 address it maps, with the same reason', async () => {
    for (const url of ['https://[::ffff:127.0.0.1]/hook', 'https://[::ffff:7f00:1]/hook']) {
      const r = await t.request('/api/v1/subscriptions', { body: { url, secret: SECRET } });
      expect(r.status, url).toBe(400);
      expect(r.body.error.message, url).toBe('the URL is refused: 127.0.0.1 is a loopback address');
    }
    const v6 = await t.request('/api/v1/subscriptions', { body: { url: 'https://[::1]/hook', secret: SECRET } });
    expect(v6.body.error.message).toBe('the URL is refused: ::1 is a loopback address');
  });

  it('refuses plain http and credentials in the URL, saying why', async () => {
    const http = await t.request('/api/v1/subscriptions', { body: { url: 'http://example.com/hook' } });
    expect(http.status).toBe(400);
    const creds = await t.request('/api/v1/subscriptions', { body: { url: 'https://user:pass@example.com/hook' } });
    expect(creds.status).toBe(400);
    expect(creds.body.error.message).toMatch(/credentials/);
    const literal = await t.request('/api/v1/subscriptions', { body: { url: 'https://0x7f000001/hook' } });
    expect(literal.body.error.message).toMatch(/127\.0\.0\.1 is a loopback address/);
  });

  it('accepts a public https URL', async () => {
    const r = await t.request('/api/v1/subscriptions', { body: { url: 'https://93.184.215.14/hook' } });
    expect(r.status).toBe(201);
    const v6 = await t.request('/api/v1/subscriptions', { body: { url: 'https://[2606:4700:4700::1111]/hook' } });
    expect(v6.status).toBe(201);
  });
});

describe('the destination check', () => {
  const secure = { allowInsecure: false };
  it('classifies every spelling by what it is, not how it is written', () => {
    for (const url of [...LOOPBACK_SPELLINGS, ...INTERNAL]) expect(urlRefusal(url, secure), url).toBeDefined();
    expect(addressRefusal('::127.0.0.1', secure)).toBeDefined();
    expect(addressRefusal('::7f00:1', secure)).toBeDefined();
    expect(addressRefusal('64:ff9b::7f00:1', secure)).toBeDefined();
    expect(addressRefusal('2002:7f00:1::', secure)).toBeDefined();
    expect(addressRefusal('8.8.8.8', secure)).toBeUndefined();
    expect(addressRefusal('2606:4700::1111', secure)).toBeUndefined();
  });

  it('the development switch allows http and loopback, never the metadata service', () => {
    const dev = { allowInsecure: true };
    expect(urlRefusal('http://127.0.0.1:8080/hook', dev)).toBeUndefined();
    expect(urlRefusal('http://localhost:8080/hook', dev)).toBeUndefined();
    expect(urlRefusal('http://[::1]:8080/hook', dev)).toBeUndefined();
    expect(urlRefusal('http://169.254.169.254/latest/meta-data/', dev)).toMatch(/linkLocal/);
    expect(urlRefusal('https://u:p@127.0.0.1/hook', dev)).toMatch(/credentials/);
  });

  it('refuses a name that resolves to loopback, or to a mix of public and private', async () => {
    const to = (...addresses: string[]): Resolve => () => Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
    expect(await destinationRefusal('https://rebind.example/hook', { ...secure, resolve: to('127.0.0.1') })).toMatch(/loopback/);
    expect(await destinationRefusal('https://rebind.example/hook', { ...secure, resolve: to('93.184.215.14', '10.1.2.3') })).toMatch(/private/);
    expect(await destinationRefusal('https://rebind.example/hook', { ...secure, resolve: to('::ffff:169.254.169.254') })).toMatch(/linkLocal/);
    expect(await destinationRefusal('https://fine.example/hook', { ...secure, resolve: to('93.184.215.14') })).toBeUndefined();
  });
});

/** A subscription row as an older Clario (or a direct database write) could have stored it. */
async function storedSubscription(url: string): Promise<string> {
  const id = `sub_${Math.random().toString(16).slice(2)}`;
  const box = createSecretBox(parseKeys(t.clario.secrets.encryptionKeys));
  await insertSubscription(t.clario.database.db, { id, url, eventTypes: [], sealedSecret: box.seal(SECRET, `subscription:${id}`) });
  return id;
}

/** Writes outbox messages, then runs delivery rounds until the subscription records a failure or a delivery. */
async function deliverTo(id: string, mirror: ReturnType<typeof testMirror>['mirror']) {
  expect((await t.request('/api/v1/workflow/phase/1', { body: { user_id: `u-${id}` } })).status).toBe(202);
  let view: any;
  await waitFor(async () => {
    await mirror.deliverOnce();
    view = (await t.request(`/api/v1/subscriptions/${id}`)).body;
    return view.delivery.last_error !== null || view.delivery.last_delivered_at !== null;
  }, 'a delivery attempt');
  return view.delivery as { last_error: { code: string; message: string } | null; last_delivered_at: string | null };
}

describe('delivery', () => {
  it.each(['http://127.0.0.1:PORT/hook', 'http://0x7f000001:PORT/hook', 'http://127.1:PORT/hook', 'http://[::ffff:127.0.0.1]:PORT/hook', 'https://2130706433:PORT/hook'])(
    'never reaches a stored %s without the development switch',
    async (template) => {
      const receiver = await startReceiver(SECRET);
      try {
        const id = await storedSubscription(template.replace('PORT', new URL(receiver.url).port));
        const { mirror } = testMirror(t.clario, { destinations: { allowInsecure: false } });
        const d = await deliverTo(id, mirror);
        expect(d.last_error?.code).toBe('refused_address');
        expect(receiver.attempts).toHaveLength(0);
      } finally {
        await receiver.close();
      }
    },
  );

  it('refuses a name whose DNS answer is loopback at delivery time (after a DNS change), before connecting', async () => {
    const receiver = await startReceiver(SECRET);
    try {
      const port = new URL(receiver.url).port;
      const id = await storedSubscription(`https://hooks.rebind.test:${port}/hook`);
      const resolve: Resolve = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
      const { mirror } = testMirror(t.clario, { destinations: { allowInsecure: false, resolve } });
      const d = await deliverTo(id, mirror);
      expect(d.last_error?.code).toBe('refused_address');
      expect(receiver.attempts).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  });

  it('connects to the address the guard resolved and checked (the lookup is pinned, not redone)', async () => {
    const receiver = await startReceiver(SECRET);
    try {
      // Nothing but the injected resolver knows this name: reaching the receiver proves the socket used its answer.
      const id = await storedSubscription(`http://hooks.pinned.test:${new URL(receiver.url).port}/hook`);
      const resolve: Resolve = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
      const { mirror } = testMirror(t.clario, { destinations: { allowInsecure: true, resolve } });
      const d = await deliverTo(id, mirror);
      expect(d.last_error).toBeNull();
      expect(receiver.accepted.length).toBeGreaterThan(0);
    } finally {
      await receiver.close();
    }
  });

  it('does not follow a redirect', async () => {
    const target = await startReceiver(SECRET);
    const redirector: Server = createServer((req, res) => {
      req.resume();
      res.writeHead(302, { location: target.url }).end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    try {
      const id = await storedSubscription(`http://127.0.0.1:${(redirector.address() as AddressInfo).port}/hook`);
      const { mirror } = testMirror(t.clario, { destinations: { allowInsecure: true } });
      const d = await deliverTo(id, mirror);
      expect(d.last_error?.code).toBe('http_3xx');
      expect(target.attempts).toHaveLength(0);
    } finally {
      redirector.closeAllConnections();
      await new Promise<void>((resolve) => redirector.close(() => resolve()));
      await target.close();
    }
  });

  it('records a closed port as a category, not the socket error that would map ports', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const id = await storedSubscription(`http://127.0.0.1:${port}/hook`);
    const { mirror } = testMirror(t.clario, { destinations: { allowInsecure: true } });
    const d = await deliverTo(id, mirror);
    expect(d.last_error?.code).toBe('connection_failed');
    expect(JSON.stringify(d.last_error)).not.toMatch(/ECONN|refused|127\.0\.0\.1|:\d{2,5}/);
  });
});
