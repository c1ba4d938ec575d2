// The attacks of issue 14 on Clario's edge, replayed by the bad-input scenario so they stay closed:
// bodies and ids PostgreSQL cannot hold, webhook URLs into Clario's own network, probes that must
// answer without a token, WebSockets past the per-user cap, and handshakes left half-open.
import net from 'node:net';
import WebSocket from 'ws';

interface Attack {
  readonly what: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: string;
  /** The status that means the attack is refused (or, for the probes, answered safely). */
  readonly expect: number;
  /** The exact body expected, when it matters. */
  readonly exactBody?: string;
  readonly token?: 'service' | 'none';
}

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

const SSRF_URLS = [
  'https://127.0.0.1/hook',
  'https://0x7f000001/hook',
  'https://2130706433/hook',
  'https://127.1/hook',
  'https://[::ffff:127.0.0.1]/hook',
  'https://[::1]/hook',
  'https://localhost/hook',
  'https://169.254.169.254/latest/meta-data/',
  'https://10.0.0.1/hook',
  'https://192.168.0.1/hook',
  'https://100.64.0.1/hook',
  'https://224.0.0.1/hook',
  'https://0.0.0.0/hook',
  'https://[fd00:ec2::254]/hook',
  'https://user:pass@example.com/hook',
  'http://example.com/hook',
];

const ATTACKS: Attack[] = [
  { what: 'liveness without a token', method: 'GET', path: '/healthz', expect: 200, exactBody: '{"status":"ok"}', token: 'none' },
  { what: 'readiness without a token', method: 'GET', path: '/readyz', expect: 200, exactBody: '{"status":"ok"}', token: 'none' },
  { what: '5,000-level nesting', method: 'POST', path: '/api/v1/workflow/phase/1', body: `{"user_id":"alice","x":${nested(5000)}}`, expect: 400 },
  { what: 'NUL in an extra trigger field', method: 'POST', path: '/api/v1/workflow/phase/1', body: '{"user_id":"alice","x":"a\\u0000b"}', expect: 400 },
  { what: 'a lone surrogate in an extra trigger field', method: 'POST', path: '/api/v1/workflow/sync/complete', body: '{"user_id":"alice","x":"a\\ud800b"}', expect: 400 },
  { what: 'NUL in a key', method: 'POST', path: '/api/v1/workflow/payout/received', body: '{"user_id":"alice","claim_id":"c","payout_id":"p","amount_minor":1,"currency":"USD","k\\u0000":1}', expect: 400 },
  { what: 'nesting in a subscription', method: 'POST', path: '/api/v1/subscriptions', body: `{"url":"https://example.com/h","event_types":${nested(5000)}}`, expect: 400 },
  { what: 'NUL in an event id', method: 'GET', path: '/api/v1/workflow/events/a%00b', expect: 400 },
  { what: 'NUL in audit?event_id=', method: 'GET', path: '/api/v1/workflow/audit?event_id=a%00b', expect: 400 },
  ...SSRF_URLS.map((url): Attack => ({ what: `a webhook to ${url}`, method: 'POST', path: '/api/v1/subscriptions', body: JSON.stringify({ url }), expect: 400 })),
];

function upgrade(url: string, token: string): Promise<{ status: number; ws?: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/ws?token=${encodeURIComponent(token)}`);
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    ws.on('open', () => resolve({ status: 101, ws }));
    ws.on('error', () => resolve({ status: 0 }));
  });
}

/** Sockets that send part of a WebSocket handshake and stop; resolves with how many the server closed by `deadline`. */
async function halfOpen(url: string, count: number, deadline: number): Promise<number> {
  const port = Number(new URL(url).port);
  const sockets = Array.from({ length: count }, () => {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => undefined);
    s.resume();
    s.write('GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n');
    return s;
  });
  const closed = sockets.map((s) => new Promise<boolean>((resolve) => s.once('close', () => resolve(true))));
  const late = new Promise<false>((resolve) => setTimeout(() => resolve(false), Math.max(0, deadline - Date.now())).unref());
  const results = await Promise.all(closed.map((c) => Promise.race([c, late])));
  for (const s of sockets) s.destroy();
  return results.filter(Boolean).length;
}

export async function edgeAttacks(options: { url: string; service: string; seller: string; headersTimeoutMs: number; maxPerUser: number }) {
  const violations: string[] = [];
  let refused = 0;
  for (const a of ATTACKS) {
    const headers: Record<string, string> = a.token === 'none' ? {} : { authorization: `Bearer ${options.service}` };
    if (a.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${options.url}${a.path}`, { method: a.method, headers, ...(a.body !== undefined ? { body: a.body } : {}) });
    const text = await res.text();
    let formatted = res.status < 400;
    try {
      formatted ||= typeof (JSON.parse(text) as { error?: { code?: unknown } }).error?.code === 'string';
    } catch {
      // not JSON
    }
    if (res.status !== a.expect || !formatted || (a.exactBody !== undefined && text !== a.exactBody)) {
      violations.push(`${a.what}: ${res.status} ${text.slice(0, 120)}, expected ${a.expect}${a.exactBody ? ` ${a.exactBody}` : ''}`);
    } else refused++;
  }
  // One seller past the per-user cap: the extra upgrades are refused with 503.
  const opened = [];
  for (let i = 0; i < options.maxPerUser + 5; i++) opened.push(await upgrade(options.url, options.seller));
  const overCap = opened.filter((x) => x.status === 503).length;
  if (overCap !== 5) violations.push(`${overCap} of ${opened.length} upgrades by one seller were refused with 503; expected 5 past the cap of ${options.maxPerUser}`);
  await Promise.all(
    opened.map((x) => {
      const ws = x.ws;
      if (!ws) return Promise.resolve();
      return new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.close();
      });
    }),
  );
  // Half-open handshakes: closed by the headers timeout (the deadline only turns a hang into a violation).
  const halfOpenSent = 50;
  const halfOpenClosed = await halfOpen(options.url, halfOpenSent, Date.now() + options.headersTimeoutMs * 3 + 5_000);
  if (halfOpenClosed < halfOpenSent) violations.push(`${halfOpenSent - halfOpenClosed} of ${halfOpenSent} half-open handshakes were still open`);
  return {
    figures: { attacks: ATTACKS.length, refused_as_expected: refused, websocket_over_cap_refused: overCap, half_open: { sent: halfOpenSent, closed: halfOpenClosed } },
    violations,
  };
}
