import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { startTestClario, type TestClario } from '../support/clario.js';

// Anonymous callers are limited per address; behind a proxy that address must come from the
// proxy's X-Forwarded-For, and only from a proxy the operator named.
const limits = { RATE_LIMIT_ANONYMOUS_PER_MINUTE: '2', RATE_LIMIT_SELLER_PER_MINUTE: '100', RATE_LIMIT_SERVICE_PER_MINUTE: '1000' };
const anonymous = (t: TestClario, client: string) => t.request('/api/v1/workflow/queue/stats', { token: null, headers: { 'x-forwarded-for': client } });

describe('TRUST_PROXY', () => {
  it('is off by default and refuses to believe everyone', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toEqual(['loopback', '10.0.0.0/8']);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY.*any client/s);
    expect(() => loadConfig({ TRUST_PROXY: 'loopback,proxy.example' })).toThrow(/TRUST_PROXY.*proxy\.example/s);
  });

  it('refuses ranges that take in everyone or much of the internet, and hop counts a client could reach', () => {
    // Before: /0 passed here and proxy-addr threw a TypeError when the app was built.
    expect(() => loadConfig({ TRUST_PROXY: '0.0.0.0/0' })).toThrow('TRUST_PROXY: 0.0.0.0/0 would let any client pick its address');
    expect(() => loadConfig({ TRUST_PROXY: 'loopback, ::/0' })).toThrow('TRUST_PROXY: ::/0 would let any client pick its address');
    expect(() => loadConfig({ TRUST_PROXY: '::ffff:0.0.0.0/96' })).toThrow('TRUST_PROXY: ::ffff:0.0.0.0/96 would let any client pick its address');
    expect(() => loadConfig({ TRUST_PROXY: '0.0.0.0/1' })).toThrow(/TRUST_PROXY: 0\.0\.0\.0\/1 would believe the X-Forwarded-For of much of the internet/);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8,fc00::/7,::ffff:10.0.0.0/104' }).trustProxy).toEqual(['10.0.0.0/8', 'fc00::/7', '::ffff:10.0.0.0/104']);
    // A hop count that large reaches into what the client wrote at the start of the header.
    expect(() => loadConfig({ TRUST_PROXY: '99999' })).toThrow(/TRUST_PROXY: 99999 hops would believe the addresses a client writes into X-Forwarded-For itself; .*at most 10/);
    expect(loadConfig({ TRUST_PROXY: '10' }).trustProxy).toBe(10);
  });

  describe('without it', () => {
    let t: TestClario;
    beforeAll(async () => {
      t = await startTestClario({ env: limits });
    });
    afterAll(async () => {
      await t.close();
    });

    it('a client cannot escape its limit by naming another address', async () => {
      const statuses = [];
      for (const client of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) statuses.push((await anonymous(t, client)).status);
      expect(statuses).toEqual([401, 401, 429]);
    });
  });

  describe('with the proxy named', () => {
    let t: TestClario;
    beforeAll(async () => {
      t = await startTestClario({ env: { ...limits, TRUST_PROXY: 'loopback' } });
    });
    afterAll(async () => {
      await t.close();
    });

    it("limits each client behind the proxy by the proxy's word, not the proxy as one client", async () => {
      const first = [];
      for (let i = 0; i < 3; i++) first.push((await anonymous(t, '203.0.113.1')).status);
      expect(first).toEqual([401, 401, 429]);
      expect((await anonymous(t, '203.0.113.2')).status).toBe(401);
    });
  });
});
