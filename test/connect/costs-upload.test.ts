import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startTestClario, type TestClario } from '../support/clario.js';
import { testCapabilities } from '../support/capabilities.js';
import { rows } from '../../src/store/db.js';

let t: TestClario;
beforeAll(async () => {
  t = await startTestClario({ capabilities: testCapabilities() });
});
afterAll(async () => {
  await t.close();
});

async function put(userId: string, body: string, token: string | null = t.serviceToken, type = 'text/csv') {
  const r = await fetch(`${t.url}/api/v1/sellers/${userId}/costs`, {
    method: 'PUT',
    headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  return { status: r.status, body: (await r.json()) as any };
}

describe('uploading unit costs', () => {
  it('stores good lines and reports the bad ones by line', async () => {
    const r = await put('seller-c', 'sku,unit_cost,currency\nA-1,12.40,USD\nB-2,twelve,USD\nC-3,3.10,usd\n\nD-4,7,EUR\nE-5,0.00,USD\n');
    expect(r.status).toBe(200);
    expect(r.body.rows).toBe(2);
    expect(r.body.problems.map((p: any) => p.line)).toEqual([3, 4, 7]);
    expect(r.body.problems[2].message).toContain('"0.00" is not more than 0');
  });

  it('reads the manufacturing_cost header, and the older unit_cost, as the same column', async () => {
    const r = await put('seller-m', 'SKU,Manufacturing Cost,Currency\nA-1,12.40,USD\nB-2,-1,USD\n');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ rows: 1, problems: [{ line: 3, message: expect.stringContaining('manufacturing cost') as unknown }] });
    expect((await put('seller-m', 'sku,unit_cost,currency\nA-1,12.40,USD\n')).body.rows).toBe(1);
    expect((await put('seller-m', 'sku,price,currency\nA-1,12.40,USD\n')).body.error.message).toContain('manufacturing_cost');
  });

  it('reports a line holding a NUL character by line, and refuses a header holding one (before: a 500)', async () => {
    const r = await put('seller-nul', 'sku,manufacturing_cost,currency\nSK\u0000U1,1.00,USD\nA-1,2.00,USD\n');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ rows: 1, problems: [{ line: 2, message: 'the line contains a NUL character' }] });
    const header = await put('seller-nul', 'sku,manufacturing_cost,currency,\u0000\nA-1,2.00,USD\n');
    expect(header.status).toBe(400);
    expect(header.body.error.message).toContain('the first line contains a NUL character');
  });

  it('refuses a file without the columns, and other sellers', async () => {
    expect((await put('seller-c', 'sku;cost\nA;1')).status).toBe(400);
    const other = await t.sellerToken('someone-else');
    expect((await put('seller-c', 'sku,unit_cost,currency\nA,1,USD', other)).status).toBe(403);
    expect((await put('seller-c', 'sku,unit_cost,currency\nA,1,USD', null)).status).toBe(401);
    const own = await t.sellerToken('seller-c');
    expect((await put('seller-c', 'sku,unit_cost,currency\nA,1,USD', own)).status).toBe(200);
  });
});

describe('a costs upload over the size limit', () => {
  const MiB = 1024 * 1024;
  const linesOf = async (userId: string) => (await rows<{ n: number }>(t.clario.database.db, sql`SELECT count(*)::int AS n FROM report_lines WHERE user_id = ${userId}`))[0]?.n;

  it('is refused with 413 from its Content-Length, unread', async () => {
    const body = `sku,unit_cost,currency\n${'A-1,1.00,USD\n'.repeat(Math.ceil((21 * MiB) / 13))}`;
    const r = await put('seller-big', body);
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ error: { code: 'payload_too_large', message: expect.stringContaining('larger than') as unknown } });
    expect(await linesOf('seller-big')).toBe(0);
  });

  it('is refused with 413 once a chunked body (no Content-Length) passes the limit, and keeps none of its lines', async () => {
    const good = Buffer.from(`sku,unit_cost,currency\n${Array.from({ length: 5000 }, (_, i) => `S-${i},1.00,USD`).join('\n')}\n`);
    const filler = Buffer.from('X-1,lots,USD\n'.repeat(64 * 1024)); // ~832 KiB of refused lines
    let sent = good.length;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(good);
      },
      pull(c) {
        if (sent > 24 * MiB) return c.close();
        sent += filler.length;
        c.enqueue(filler);
      },
    });
    const res = await fetch(`${t.url}/api/v1/sellers/seller-chunked/costs`, {
      method: 'PUT',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${t.serviceToken}` },
      body,
      duplex: 'half',
    }).catch((err: unknown) => err);
    // The server answers and closes: undici may report the closed upload instead of the answer.
    if (res instanceof Response) {
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    }
    expect(await linesOf('seller-chunked')).toBe(0);
  }, 60_000);

  it('lists at most 100 problems, then how many more', async () => {
    const r = await put('seller-bad-lines', `sku,unit_cost,currency\nA-1,1.00,USD\n${'B,x,USD\n'.repeat(250)}`);
    expect(r.status).toBe(200);
    expect(r.body.problems).toHaveLength(101);
    expect(r.body.problems[100]).toEqual({ line: 0, message: 'and 150 more lines refused' });
  });
});
