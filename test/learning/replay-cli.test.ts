// `clario learning replay` as an operator runs it: a real child process on a real database.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, rows, type Database } from '../../src/store/db.js';
import { claims } from '../../src/store/schema/claims-tables.js';
import { learningStats } from '../../src/store/schema/learning-tables.js';
import { builtDist, CLI } from '../support/compiled.js';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../support/infra.js';

const run = promisify(execFile);
await builtDist();

describeWithPostgres('clario learning replay', () => {
  let testDb: TestDatabase;
  let db: Database;
  const dataDir = mkdtempSync(join(tmpdir(), 'clario-replay-'));
  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = await openDatabase({ url: testDb.url, poolSize: 2 });
    const s = (evidence: number, confidence: number) => ({ version: 1, evidence, profile: 'invoice', learned: null, confidence, reasons: [], missing: [], scoredAt: '2026-11-01T00:00:00Z' });
    await db.db.insert(claims).values([
      { id: 'r-1', userId: 'u', type: 'lost_warehouse', status: 'filed', score: s(0.88, 0.88), confidence: 0.88, createdAt: new Date('2026-09-01T00:00:00Z') },
      { id: 'r-2', userId: 'u', type: 'lost_warehouse', status: 'filed', score: s(0.95, 0.95), confidence: 0.95, createdAt: new Date('2026-11-01T00:00:00Z') },
      { id: 'r-3', userId: 'u', type: 'lost_warehouse', status: 'detected', createdAt: new Date('2026-11-01T00:00:00Z') },
    ]);
    // Amazon rejected most lost_warehouse claims with an invoice since they were scored.
    await db.db.insert(learningStats).values({ claimType: 'lost_warehouse', profile: 'invoice', approved: 2, rejected: 18 });
  });
  afterAll(async () => {
    await db.close();
    await testDb.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function clario(args: string[]) {
    try {
      const r = await run(process.execPath, [CLI, ...args], {
        env: { ...process.env, CLARIO_DATA_DIR: dataDir, DATABASE_URL: testDb.url, LOG_LEVEL: 'silent' },
      });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  it('prints which claims would route differently, as JSON or text, and changes nothing', async () => {
    const before = await rows(db.db, sql`SELECT * FROM claims ORDER BY id`);
    const json = await clario(['learning', 'replay', '--json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ claims: 2, skipped: 0, thresholds: { autoSubmit: 0.85, smartPrompt: 0.5 } });
    expect(report.changed.map((c: any) => [c.claim_id, c.stored_route, c.replayed_route])).toEqual([
      ['r-1', 'auto_submit', 'smart_prompt'],
      ['r-2', 'auto_submit', 'smart_prompt'],
    ]);
    const text = await clario(['learning', 'replay', '--since', '2026-10-01']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Replayed 1 scored claim created since 2026-10-01/);
    expect(text.stdout).toMatch(/1 would route differently/);
    expect(text.stdout).toMatch(/r-2 +lost_warehouse\/invoice +0\.9500 auto_submit → 0\.\d{4} smart_prompt/);
    expect(await rows(db.db, sql`SELECT * FROM claims ORDER BY id`)).toEqual(before);
  });

  it('explains bad usage', async () => {
    const bad = await clario(['learning', 'replay', '--since', 'yesterday-ish']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--since must be a date/);
    expect((await clario(['learning'])).code).toBe(2);
  });
});
