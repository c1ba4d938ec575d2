// What the router refuses before any route runs is answered in the error format too.
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

  it('a URL that does not decode is 400 invalid_request', async () => {
    const r = await t.request('/api/v1/workflow/status/%E0%A4%A');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_request');
  });
});
