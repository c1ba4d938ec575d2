// The simulator's state file: what Amazon would remember (the grant an app holds, the case log)
// outlives a restart of the simulator, as the embedded demo needs; without the file a restart
// still forgets it, like a fresh sandbox.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidGrantError } from '../../../src/amazon/errors.js';
import { connect, lwaFor, SELLER, simulator, testClock } from './harness.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'clario-sim-state-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const claim = { subject: 'Lost units of X00A', description: '3 units lost', claim_type: 'lost_warehouse', sku: 'MSKU-A', fnsku: 'X00A', asin: 'B0A', quantity: 3 };

async function fileCase(url: string, accessToken: string, key: string) {
  const res = await fetch(`${url}/cases`, {
    method: 'POST',
    headers: { 'x-amz-access-token': accessToken, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(claim),
  });
  return { status: res.status, body: (await res.json()) as { case_id: string; status: string } };
}

describe('the simulator state file', () => {
  it('keeps the grant, the case log and the id counter across a restart', async () => {
    const stateFile = join(dir, 'state.json');
    const clock = testClock();
    const first = await simulator({ clock, stateFile });
    const lwa = lwaFor(first, { clock });
    const refreshToken = await connect(first, lwa);
    const filed = await fileCase(first.url, (await lwa.refresh(refreshToken)).accessToken, 'claim-1');
    expect(filed.status).toBe(201);
    await first.close();
    // Only the owner reads it: it holds refresh tokens.
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);

    const second = await simulator({ clock, stateFile });
    const lwa2 = lwaFor(second, { clock });
    const access = (await lwa2.refresh(refreshToken)).accessToken;
    const again = await fileCase(second.url, access, 'claim-1');
    expect(again).toEqual({ status: 200, body: expect.objectContaining({ case_id: filed.body.case_id, status: 'open' }) });
    expect(second.openCases().map((c) => c.caseId)).toEqual([filed.body.case_id]);
    const next = await fileCase(second.url, access, 'claim-2');
    expect(BigInt(next.body.case_id)).toBeGreaterThan(BigInt(filed.body.case_id));
  });

  it('a revoked grant stays revoked after a restart', async () => {
    const stateFile = join(dir, 'state.json');
    const clock = testClock();
    const first = await simulator({ clock, stateFile });
    const refreshToken = await connect(first, lwaFor(first, { clock }));
    first.revokeSeller(SELLER);
    await first.close();
    const second = await simulator({ clock, stateFile });
    await expect(lwaFor(second, { clock }).refresh(refreshToken)).rejects.toBeInstanceOf(InvalidGrantError);
  });

  it('without a state file a restart forgets the grant', async () => {
    const clock = testClock();
    const first = await simulator({ clock });
    const refreshToken = await connect(first, lwaFor(first, { clock }));
    await first.close();
    const second = await simulator({ clock });
    await expect(lwaFor(second, { clock }).refresh(refreshToken)).rejects.toBeInstanceOf(InvalidGrantError);
  });

  it('refuses a damaged state file, naming it, instead of starting with nothing', async () => {
    const stateFile = join(dir, 'state.json');
    for (const text of ['{"version":1,"state":', JSON.stringify({ version: 1, state: { seq: -1 } }), '[]']) {
      writeFileSync(stateFile, text);
      await expect(simulator({ stateFile })).rejects.toThrow(`state file ${stateFile} cannot be read`);
      expect(readFileSync(stateFile, 'utf8')).toBe(text);
    }
  });
});
