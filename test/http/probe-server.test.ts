// A worker's liveness probe: GET /healthz answers without a token, and nothing else is served.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProbeServer, type ProbeServer } from '../../src/http/probe-server.js';

describe("a worker's probe server", () => {
  let probe: ProbeServer;
  beforeAll(async () => {
    probe = await startProbeServer(0, '127.0.0.1');
  });
  afterAll(async () => {
    await probe?.close();
  });

  it('answers GET /healthz with 200 {"status":"ok"}, without a token', async () => {
    const r = await fetch(`${probe.url}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ok' });
    expect((await fetch(`${probe.url}/healthz`, { method: 'HEAD' })).status).toBe(200);
  });

  it('serves nothing else, in the service error format', async () => {
    for (const [path, method] of [['/', 'GET'], ['/api/v1/workflow/status/x', 'GET'], ['/metrics', 'GET'], ['/healthz', 'POST']] as const) {
      const r = await fetch(`${probe.url}${path}`, { method });
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('not_found');
    }
  });
});
