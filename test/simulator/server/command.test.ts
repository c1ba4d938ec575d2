import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runSimulatorCommand } from '../../../src/simulator/server/index.js';
import { FIXTURE } from './harness.js';

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

describe('clario simulator', () => {
  it('serves the seller folder until stopped, and prints where', async () => {
    const out = capture();
    const err = capture();
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const exit = runSimulatorCommand(['--port', '0', '--seller-folder', FIXTURE], { stdout: out.stream, stderr: err.stream, untilStopped: stopped });
    const deadline = Date.now() + 10_000;
    while (!out.text().includes('listening on') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const url = /listening on (\S+)/.exec(out.text())?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/auth/o2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'x', client_id: 'nope', client_secret: 'nope' }) });
    expect(res.status).toBe(401);
    stop();
    expect(await exit).toBe(0);
  });

  it('exits 2 without a seller folder', async () => {
    const out = capture();
    const err = capture();
    expect(await runSimulatorCommand(['--port', '0'], { stdout: out.stream, stderr: err.stream })).toBe(2);
    expect(err.text()).toContain('--seller-folder');
  });
});
