// The suite's own PostgreSQL and Redis, on free loopback ports in a temporary directory, so the
// restart scenario can stop and start them without touching anyone else's servers. PostgreSQL
// runs as the `postgres` user when this process is root (initdb refuses root).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Infra } from './scenario.js';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function postgresBin(name: string): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(join(root, v, 'bin', name))) return join(root, v, 'bin', name);
  return name; // on the PATH, as on most other systems
}

const asRoot = process.getuid?.() === 0;

/** Whether this machine has what startOwnServers needs (PostgreSQL's binaries and redis-server). */
export function canStartOwnServers(): boolean {
  const onPath = (name: string) => (process.env.PATH ?? '').split(':').some((d) => d && existsSync(join(d, name)));
  return (existsSync(postgresBin('initdb')) || onPath('initdb')) && onPath('redis-server');
}
function pgRun(bin: string, args: string[]): void {
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', postgresBin(bin), ...args]] : [postgresBin(bin), args];
  execFileSync(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
}

export interface OwnServers extends Infra {
  readonly postgresUrl: string;
  stop(): Promise<void>;
}

async function waitForRedis(port: number): Promise<void> {
  const { Redis } = await import('ioredis');
  for (let i = 0; ; i++) {
    const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    r.on('error', () => undefined);
    const ok = await r.connect().then(() => r.ping()).then(() => true, () => false);
    r.disconnect();
    if (ok) return;
    if (i > 100) throw new Error('redis-server did not start');
    await new Promise((res) => setTimeout(res, 50));
  }
}

export async function startOwnServers(): Promise<OwnServers> {
  const dir = mkdtempSync(join(tmpdir(), 'clario-resilience-'));
  const pgData = join(dir, 'pg');
  const pgPort = await freePort();
  const redisPort = await freePort();
  if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), Number(execFileSync('id', ['-g', 'postgres']).toString().trim()));
  pgRun('initdb', ['-D', pgData, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const pgStart = () =>
    pgRun('pg_ctl', ['-D', pgData, '-l', join(dir, 'pg.log'), '-w', '-o', `-p ${pgPort} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300`, 'start']);
  pgStart();
  let redis: ChildProcess | undefined;
  const redisStart = async () => {
    // No persistence: a restart loses every queued job, the harshest case for the queue.
    redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    await waitForRedis(redisPort);
  };
  const redisStop = async () => {
    const r = redis;
    if (!r || r.exitCode !== null) return;
    await new Promise<void>((res) => {
      r.once('exit', () => res());
      r.kill('SIGKILL');
    });
  };
  await redisStart();
  // If this process ends without stop() (a test runner tearing down a hung test), take the
  // servers along rather than leave them running.
  const onExit = () => {
    redis?.kill('SIGKILL');
    try {
      pgRun('pg_ctl', ['-D', pgData, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already stopped
    }
  };
  process.once('exit', onExit);
  const postgresUrl = `postgres://postgres@127.0.0.1:${pgPort}/postgres`;
  const admin = async <T>(f: (c: pg.Client) => Promise<T>) => {
    const c = new pg.Client({ connectionString: postgresUrl });
    await c.connect();
    try {
      return await f(c);
    } finally {
      await c.end();
    }
  };
  return {
    postgresUrl,
    redisUrl: `redis://127.0.0.1:${redisPort}`,
    async newDatabase() {
      const name = `clario_res_${randomBytes(4).toString('hex')}`;
      await admin((c) => c.query(`CREATE DATABASE "${name}"`));
      return { url: postgresUrl.replace(/\/postgres$/, `/${name}`), drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined) };
    },
    servers: {
      async restartRedis() {
        await redisStop();
        await new Promise((r) => setTimeout(r, 1000));
        await redisStart();
      },
      async restartPostgres() {
        pgRun('pg_ctl', ['-D', pgData, '-m', 'immediate', '-w', 'stop']);
        await new Promise((r) => setTimeout(r, 1000));
        pgStart();
      },
    },
    async stop() {
      process.off('exit', onExit);
      await redisStop();
      try {
        pgRun('pg_ctl', ['-D', pgData, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
