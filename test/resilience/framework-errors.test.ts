// What the router refuses before any route runs is answered in the error format too.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestClario, type TestClario } from '../support/clario.js';
import { testCapabilities } from '../support/capabilities.js';

let t: TestClario;
beforeAll(async () => {
  t = await startTestClario({ capabilities: testCapabilities() });
});
afterAll(async () => {
  await t.close();
});

describe('requests the router refuses', () => {
  it('a path parameter over the length limit is 414 uri_too_long, without echoing the URL', async () => {
    const r = await t.request(`/api/v1/workflow/events/${'x'.repeat(500)}`);
    expect(r.status).toBe(414);
    expect(r.body.error.code).toBe('uri_too_long');
    expect(JSON.stringify(r.body)).not.toContain('xxxxxxxxxx');
  });

  it('headers over the limit are 431 headers_too_large in the error format (it was Fastify\'s own body)', async () => {
    const r = await fetch(`${t.url}/api/v1/workflow/status/u?${'q'.repeat(20_000)}`);
    expect(r.status).toBe(431);
    expect(await r.json()).toEqual({ error: { code: 'headers_too_large', message: 'the request line and headers are larger than the server takes' } });
  });

  it('bytes that are not HTTP are 400 invalid_request in the error format', async () => {
    const { port, hostname } = new URL(t.url);
    const answer = await new Promise<string>((resolve, reject) => {
      let text = '';
      const socket = connect(Number(port), hostname, () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      socket.on('data', (d: Buffer) => (text += d.toString('utf8')));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toContain('{"error":{"code":"invalid_request","message":"the request is not valid HTTP"}}');
  });

  it('a URL that does not decode is 400 invalid_request', async () => {
    const r = await t.request('/api/v1/workflow/status/%E0%A4%A');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_request');
  });
});
