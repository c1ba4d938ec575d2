// A kill (SIGKILL, no shutdown at all) of the embedded service while triggers are arriving: every
// trigger it acknowledged is in its data folder afterwards, and the next start takes the folder over
// and runs each of them on (a phase the dead process held comes back when its lease runs out).
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, rows } from '../../src/store/db.js';
import { builtDist } from '../support/compiled.js';
import { seedPglite } from '../support/infra.js';
import { serveCli } from '../support/serve-cli.js';
import { waitFor } from '../support/wait.js';

await builtDist();
const root = mkdtempSync(join(tmpdir(), 'clario-kill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const TOKEN = `svc_${randomBytes(24).toString('hex')}`;

// A short lease, so that phases the killed process held come back soon after the restart.
const serve = (dataDir: string) => serveCli({ CLARIO_SERVICE_TOKEN: TOKEN, CLARIO_DATA_DIR: dataDir, WORKFLOW_LEASE_MS: '1000' });

/** A phase 1 trigger: the event id it was acknowledged with, or undefined when it was not (cut by the kill). */
async function trigger(url: string, i: number): Promise<string | undefined> {
  try {
    const res = await fetch(`${url}/api/v1/workflow/phase/1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: `kill-${i % 7}`, sync_id: `kill-run-${i}` }),
    });
    if (res.status !== 202) return undefined;
    return ((await res.json()) as { event_id: string }).event_id;
  } catch {
    return undefined;
  }
}

describe('SIGKILL of the embedded service', () => {
  it('keeps every trigger it acknowledged, and runs each to its end after a restart on the same folder', async () => {
    const dataDir = join(root, 'embedded');
    mkdirSync(dataDir);
    seedPglite(dataDir);
    const first = serve(dataDir);
    const url = await first.url;
    // 60 triggers at once; the kill comes as the 20th acknowledgement arrives, with others in flight.
    let acknowledged = 0;
    const sent = Array.from({ length: 60 }, (_, i) =>
      trigger(url, i).then((id) => {
        if (id !== undefined && ++acknowledged === 20) first.child.kill('SIGKILL');
        return id;
      }),
    );
    const ids = (await Promise.all(sent)).filter((id): id is string => id !== undefined);
    await first.exited;
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(ids.length).toBeGreaterThanOrEqual(20);

    // The folder's lock names a dead process: opening it takes the lock over.
    const db = await openDatabase({ dataDir });
    try {
      const stored = await rows<{ id: string }>(db.db, sql`SELECT id FROM phase_events WHERE id = ANY(${`{${ids.join(',')}}`}::text[])`);
      expect(stored.map((r) => r.id).sort()).toEqual([...ids].sort());
    } finally {
      await db.close();
    }

    // And the service itself starts again on it, answers, and runs every acknowledged trigger's
    // phase to its end (phase 1 fails at once: none of these sellers connected Amazon).
    const second = serve(dataDir);
    try {
      const again = await second.url;
      expect(await trigger(again, 100)).toEqual(expect.any(String));
      const statusOf = async (id: string) => {
        const res = await fetch(`${again}/api/v1/workflow/events/${id}`, { headers: { authorization: `Bearer ${TOKEN}` } });
        return ((await res.json()) as { status?: string }).status;
      };
      await waitFor(async () => (await Promise.all(ids.map(statusOf))).every((st) => st === 'failed'), 'every acknowledged phase run to its end');
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  }, 180_000);
});
