import { Redis } from 'ioredis';
import pg from 'pg';

/** Where the bench finds PostgreSQL and Redis: BENCH_… or TEST_… URLs, else the local servers. */
export const benchAdminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const benchRedisUrl = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** This process's loader flags (tsx) without `-e`/`-p` and their code, so a forked child runs its own file. */
export function loaderArgs(): string[] {
  const out: string[] = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const a = process.execArgv[i]!;
    if (['-e', '--eval', '-p', '--print'].includes(a)) i++;
    else if (!/^(--eval|--print)=/.test(a)) out.push(a);
  }
  return out;
}

/**
 * Runs `f` on a fresh PostgreSQL database made from `adminUrl` and drops it afterwards; with no
 * server answering, `f` gets undefined (the caller then uses PGlite in memory).
 */
export async function withBenchDatabase<T>(adminUrl: string | undefined, prefix: string, f: (url: string | undefined) => Promise<T>): Promise<T> {
  const admin = adminUrl ? new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 }) : undefined;
  if (!admin || !adminUrl || !(await admin.connect().then(() => true, () => false))) return f(undefined);
  const name = `${prefix}_${Date.now()}`;
  await admin.query(`CREATE DATABASE "${name}"`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  try {
    return await f(u.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

/**
 * Runs `f` with a fresh BullMQ queue prefix (`<name><time>`) and removes every Redis key under it
 * afterwards: a run of the API alone stores jobs for a worker that never comes, and they would
 * stay in the developer's Redis run after run.
 */
export async function withBenchQueue<T>(redisUrl: string, name: string, f: (prefix: string) => Promise<T>): Promise<T> {
  const prefix = `${name}${Date.now()}`;
  try {
    return await f(prefix);
  } finally {
    await dropKeys(redisUrl, `${prefix}:*`);
  }
}

async function dropKeys(redisUrl: string, pattern: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
