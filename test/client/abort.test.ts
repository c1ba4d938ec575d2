import { afterEach, describe, expect, it } from 'vitest';
import { createClarioClient } from '../../src/client/index.js';
import { silentServer } from '../support/silent-server.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe("the client honours its caller's signal", () => {
  it('aborting cancels the call in flight with the caller\'s reason, and retries nothing', async () => {
    const s = await silentServer();
    close = s.close;
    const controller = new AbortController();
    let requests = 0;
    const c = createClarioClient({
      baseUrl: s.url, token: 't', timeoutMs: 600_000, signal: controller.signal,
      fetch: (input, init) => (requests++, fetch(input, init)),
    });
    const call = c.status('u-1').catch((e: unknown) => e);
    await s.arrived;
    const reason = new Error('caller gave up');
    controller.abort(reason);
    expect(await call).toBe(reason);
    expect(requests).toBe(1);
  });

  it('aborting during the wait before a retry ends the call without sitting the wait out', async () => {
    const controller = new AbortController();
    let waiting!: () => void;
    const sleeping = new Promise<void>((r) => (waiting = r));
    const c = createClarioClient({
      baseUrl: 'http://clario.invalid', token: 't', signal: controller.signal,
      fetch: () => Promise.resolve(new Response('{}', { status: 503 })),
      sleep: () => (waiting(), new Promise<void>(() => undefined)),
    });
    const call = c.status('u-1').catch((e: unknown) => e);
    await sleeping;
    const reason = new Error('caller gave up');
    controller.abort(reason);
    expect(await call).toBe(reason);
  });
});
