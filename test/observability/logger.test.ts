// Logs a person can read in a terminal, JSON for machines, and request lines only at debug.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, defaultDestination } from '../../src/observability/logger.js';
import { testCapabilities } from '../support/capabilities.js';
import { startTestClario, type TestClario } from '../support/clario.js';

function collect(stream: PassThrough): { text: () => string; next: () => Promise<void> } {
  let text = '';
  stream.on('data', (b: Buffer) => (text += b.toString()));
  return { text: () => text, next: () => new Promise((resolve) => stream.once('data', () => setImmediate(resolve))) };
}

describe('where logs go', () => {
  it('JSON lines when stdout is not a terminal', () => {
    const stdout = Object.assign(new PassThrough(), { isTTY: false });
    const out = collect(stdout);
    expect(defaultDestination(stdout)).toBe(stdout);
    createLogger('info', defaultDestination(stdout)).info({ userId: 'u-1' }, 'sync finished');
    expect(JSON.parse(out.text())).toMatchObject({ level: 30, msg: 'sync finished', userId: 'u-1' });
  });

  it('readable lines when stdout is a terminal, secrets still redacted', async () => {
    const pretty = new PassThrough();
    const out = collect(pretty);
    const arrived = out.next();
    createLogger('info', defaultDestination({ isTTY: true } as NodeJS.WriteStream, pretty)).info({ grant: { token: 'clario_svc_secret' } }, 'sync finished');
    await arrived;
    expect(out.text()).toMatch(/INFO.*sync finished/);
    expect(out.text()).not.toContain('clario_svc_secret');
    expect(() => JSON.parse(out.text())).toThrow();
  });
});

describe('request lines', () => {
  let t: TestClario;
  const logs: string[] = [];
  beforeAll(async () => {
    t = await startTestClario({ capabilities: testCapabilities(), logs });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('are one line per request at debug level, none at info', async () => {
    expect((await t.request('/healthz')).status).toBeLessThan(500);
    const lines = logs.map((l) => JSON.parse(l) as { level: number; msg: string; req?: { url?: string }; res?: { statusCode?: number } });
    const requestLines = lines.filter((l) => l.req?.url === '/healthz');
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]).toMatchObject({ level: 20, msg: 'request completed', res: { statusCode: expect.any(Number) } });
    expect(lines.filter((l) => l.level >= 30 && /request/.test(l.msg))).toEqual([]);
  });
});
