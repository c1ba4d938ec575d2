// X-Request-Id end to end (honoured when sane, generated otherwise, on every answer and in the
// request's log lines) and the HTTP request metrics, labelled by route template.
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestClario, type TestClario } from '../support/clario.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let t: TestClario;
const logs: string[] = [];
beforeAll(async () => {
  t = await startTestClario({ logs, env: { RATE_LIMIT_ANONYMOUS_PER_MINUTE: '2' } });
});
afterAll(async () => {
  await t.close();
});

async function get(path: string, headers: Record<string, string> = {}, init: RequestInit = {}) {
  const res = await fetch(`${t.url}${path}`, { ...init, headers: { authorization: `Bearer ${t.serviceToken}`, ...headers } });
  const text = await res.text();
  return { status: res.status, id: res.headers.get('x-request-id'), text };
}

const lines = () => logs.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('X-Request-Id', () => {
  it('is honoured when sent: echoed, and in the request\'s log lines', async () => {
    const r = await get('/api/v1/workflow/queue/stats', { 'x-request-id': 'edge-7f3a.1:b' });
    expect(r).toMatchObject({ status: 200, id: 'edge-7f3a.1:b' });
    const mine = lines().filter((l) => l.reqId === 'edge-7f3a.1:b');
    expect(mine.map((l) => l.msg)).toContain('request completed');
  });

  it('is replaced when it is not sane (spaces, quotes, control characters, too long, repeated)', async () => {
    for (const bad of ['two words', 'a"b', 'x\ty', 'a'.repeat(129), '']) {
      const r = await get('/api/v1/workflow/queue/stats', { 'x-request-id': bad });
      expect(r.status).toBe(200);
      expect(r.id).toMatch(UUID);
    }
    const repeated = await fetch(`${t.url}/api/v1/workflow/queue/stats`, {
      headers: [['authorization', `Bearer ${t.serviceToken}`], ['x-request-id', 'one'], ['x-request-id', 'two']],
    });
    expect(repeated.headers.get('x-request-id')).toMatch(UUID);
    expect(lines().some((l) => typeof l.reqId === 'string' && l.reqId.includes(' '))).toBe(false);
  });

  it('is generated when missing, a fresh one per request, and logged', async () => {
    const [a, b] = [await get('/api/v1/workflow/queue/stats'), await get('/api/v1/workflow/queue/stats')];
    expect(a.id).toMatch(UUID);
    expect(b.id).toMatch(UUID);
    expect(a.id).not.toBe(b.id);
    expect(lines().some((l) => l.reqId === a.id && l.msg === 'request completed')).toBe(true);
  });

  it('comes back on every answer: 404, 401, 400, 429, and the metrics', async () => {
    const id = { 'x-request-id': 'every-answer' };
    expect(await get('/no/such/route', id)).toMatchObject({ status: 404, id: 'every-answer' });
    // A URL the router cannot decode is refused before any route or hook runs.
    expect(await get('/api/v1/workflow/status/%E0%A4%A', id)).toMatchObject({ status: 400, id: 'every-answer' });
    expect(await get('/api/v1/workflow/queue/stats', { ...id, authorization: 'Bearer wrong' })).toMatchObject({ status: 401, id: 'every-answer' });
    const badJson = await get('/api/v1/workflow/phase/1', { ...id, 'content-type': 'application/json' }, { method: 'POST', body: '{' });
    expect(badJson).toMatchObject({ status: 400, id: 'every-answer' });
    const anonymous: Array<{ status: number; id: string | null }> = [];
    for (let i = 0; i < 3; i++) anonymous.push(await get('/api/v1/workflow/queue/stats', { ...id, authorization: '' }));
    expect(anonymous.at(-1)).toMatchObject({ status: 429, id: 'every-answer' });
    expect(await get('/metrics', id)).toMatchObject({ status: 200, id: 'every-answer' });
  });
});

/** `name → type` from the exposition's `# TYPE` lines. */
function types(exposition: string): Map<string, string> {
  return new Map([...exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

/** Clario's own metrics: not the process and Node.js defaults prom-client adds under the same prefix. */
const own = (name: string) => name.startsWith('clario_') && !/^clario_(process|nodejs)_/.test(name);

/** Keeps only Clario's own metric families of an exposition (for promtool). */
function ownFamilies(exposition: string): string {
  return exposition
    .split('\n')
    .filter((line) => {
      const name = /^# (?:HELP|TYPE) (\S+)/.exec(line)?.[1] ?? /^([a-zA-Z_:][\w:]*)/.exec(line)?.[1];
      return name !== undefined && [...types(exposition).keys()].some((family) => own(family) && (name === family || name.startsWith(`${family}_`)));
    })
    .join('\n') + '\n';
}

describe('HTTP request metrics', () => {
  it('count and time answers by route template, never the raw URL', async () => {
    await get('/api/v1/workflow/status/seller-with-a-long-id-42');
    await get('/api/v1/workflow/status/another-seller-7');
    await get('/no/such/route/for-seller-99');
    const text = (await get('/metrics')).text;
    const count = (labels: string) => Number(new RegExp(`^clario_http_requests_total\\{${labels}\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
    expect(count('method="GET",route="/api/v1/workflow/status/:user_id",status="200"')).toBe(2);
    expect(count('method="GET",route="unmatched",status="404"')).toBeGreaterThanOrEqual(2);
    expect(count('method="GET",route="/api/v1/workflow/queue/stats",status="401"')).toBeGreaterThanOrEqual(1);
    expect(count('method="GET",route="/api/v1/workflow/queue/stats",status="429"')).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^clario_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/workflow\/status\/:user_id",status="200"\} 2$/m);
    expect(text).not.toMatch(/seller-with-a-long-id-42|another-seller-7|for-seller-99/);
  });

  it('follow Prometheus naming: snake_case, _total only on counters, base units', async () => {
    const all = types((await get('/metrics')).text);
    const names = [...all.keys()].filter(own);
    expect(names).toEqual(expect.arrayContaining(['clario_http_requests_total', 'clario_http_request_duration_seconds', 'clario_phase_transitions_total']));
    for (const name of names) {
      expect(name).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
      if (all.get(name) === 'counter') expect(name).toMatch(/_total$/);
      else expect(name).not.toMatch(/_total$/);
      // Seconds and bytes, never milliseconds, minutes or kilobytes.
      expect(name).not.toMatch(/_(ms|millis|milliseconds|minutes|hours|kb|mb|kilobytes|megabytes)(_|$)/);
    }
  });

  const promtool = process.env.PROMTOOL ?? 'promtool';
  const hasPromtool = spawnSync(promtool, ['--version']).status === 0;
  it.skipIf(!hasPromtool)(`promtool check metrics finds nothing in Clario's own metrics${hasPromtool ? '' : ' (skipped: promtool is not installed; set PROMTOOL or install Debian\'s prometheus package)'}`, async () => {
    const exposition = ownFamilies((await get('/metrics')).text);
    expect(exposition).toContain('clario_http_requests_total');
    // promtool exits non-zero and prints each problem when a metric breaks its lint rules.
    const out = execFileSync(promtool, ['check', 'metrics'], { input: exposition, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    expect(out.trim()).toBe('');
  });
});
