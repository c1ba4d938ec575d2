// SIGTERM under load, on the real binary in both modes: requests in flight get their answer, the
// process exits 0 by itself within SHUTDOWN_TIMEOUT_MS, and no phase event is left running with a
// lease held. (A phase attempt that outlives the bound is handed back: test/workflow/shutdown.test.ts.)
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, rows } from '../../src/store/db.js';
import { builtDist } from '../support/compiled.js';
import { createTestDatabase, describeWithRedis, randomName, redis, seedPglite } from '../support/infra.js';
import { serveCli } from '../support/serve-cli.js';

await builtDist();
const root = mkdtempSync(join(tmpdir(), 'clario-stop-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const TOKEN = `svc_${randomBytes(24).toString('hex')}`;

type Answer = { kind: 'answer'; status: number } | { kind: 'refused' } | { kind: 'broken'; error: string };

/** One trigger on its own connection; refused means the server was no longer listening. */
function trigger(url: string, userId: string, onHeadersParsed?: () => void): Promise<Answer> {
  const body = JSON.stringify({ user_id: userId, sync_id: `${userId}-run`, seller_id: 'A1' });
  return new Promise((resolve) => {
    const req = request(`${url}/api/v1/workflow/phase/1`, {
      method: 'POST',
      agent: false,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        // The server answers "100 Continue" once it has parsed the headers: the request is then
        // in flight on its side, which is what the signal must find.
        ...(onHeadersParsed ? { expect: '100-continue' } : {}),
      },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve({ kind: 'answer', status: res.statusCode ?? 0 }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED' ? { kind: 'refused' } : { kind: 'broken', error: `${err.code}: ${err.message}` }));
    if (onHeadersParsed) {
      req.on('continue', () => {
        onHeadersParsed();
        req.end(body);
      });
    } else req.end(body);
  });
}

async function stopUnderLoad(env: Record<string, string>): Promise<void> {
  const { child, url: listening, exited } = serveCli({ CLARIO_SERVICE_TOKEN: TOKEN, SHUTDOWN_TIMEOUT_MS: '5000', AMAZON_SIMULATOR_DECIDES_AFTER_MS: '0', ...env });
  try {
    const url = await listening;
    // Load: triggers that start workflows (phase 1 parks at once: nobody is connected) ...
    const load = Array.from({ length: 30 }, (_, i) => trigger(url, `load-${i}`));
    await Promise.all(load.slice(0, 5));
    // ... and one request the server is reading when the signal arrives.
    const inFlight = trigger(url, 'in-flight', () => child.kill('SIGTERM'));
    const answers = await Promise.all([...load, inFlight]);
    expect(await exited).toBe(0);
    expect(await inFlight).toEqual({ kind: 'answer', status: 202 });
    // Every other request was answered (202, or 503 while closing) or refused: none was cut.
    expect(answers.filter((a) => a.kind === 'broken')).toEqual([]);
    expect(answers.filter((a) => a.kind === 'answer' && a.status !== 202 && a.status !== 503)).toEqual([]);
    // Nothing after the exit: the port is closed.
    expect(await trigger(url, 'late')).toEqual({ kind: 'refused' });
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

async function leftRunning(db: Awaited<ReturnType<typeof openDatabase>>): Promise<unknown[]> {
  return rows(db.db, sql`SELECT id, status, locked_by FROM phase_events WHERE status = 'running' OR locked_by IS NOT NULL`);
}

describe('SIGTERM under load, embedded mode', () => {
  it('answers the requests in flight, exits 0 by itself, and leaves no phase event running', async () => {
    const dataDir = join(root, 'embedded');
    // A migrated database already there, as after a first start (initdb is not what is tested).
    mkdirSync(dataDir);
    seedPglite(dataDir);
    await stopUnderLoad({ CLARIO_DATA_DIR: dataDir });
    const db = await openDatabase({ dataDir });
    try {
      expect(await leftRunning(db)).toEqual([]);
      const [n] = await rows<{ n: string }>(db.db, sql`SELECT count(*) AS n FROM phase_events`);
      expect(Number(n?.n)).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  }, 180_000);
});

describeWithRedis('SIGTERM under load, production mode', () => {
  it('answers the requests in flight, exits 0 by itself, and leaves no phase event running', async () => {
    const database = await createTestDatabase();
    try {
      await stopUnderLoad({
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        QUEUE_DRIVER: 'bullmq',
        QUEUE_PREFIX: randomName('cq'),
        CLARIO_SESSION_SECRET: randomBytes(32).toString('hex'),
        CLARIO_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
        CLARIO_DATA_DIR: join(root, 'production'),
      });
      const db = await openDatabase({ url: database.url });
      try {
        expect(await leftRunning(db)).toEqual([]);
      } finally {
        await db.close();
      }
    } finally {
      await database.drop();
    }
  }, 180_000);
});
