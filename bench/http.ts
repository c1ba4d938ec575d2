// HTTP figures: accepted triggers per second with p50/p99 latency on the phase endpoint, and the
// latency from a trigger to the seller's WebSocket message.
import { fork } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { pino } from 'pino';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../src/config/config.js';
import { startClario, type Clario, type Role } from '../src/main.js';
import { workflowHealth } from '../src/store/read-status.js';
import type { Capabilities } from '../src/workflow/capabilities.js';
import { round } from './workflow.js';
import { openLoop } from './open-loop.js';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const noop: Capabilities = {
  sync: { start: () => Promise.resolve({ completed: true }) },
  detection: { detect: () => Promise.resolve({}) },
  evidence: { match: () => Promise.resolve({}) },
  routing: { route: () => Promise.resolve({}) },
  payouts: { monitor: () => Promise.resolve({}) },
  learning: { learn: () => Promise.resolve({}), recordApproval: () => Promise.resolve({}) },
  settlement: { settle: () => Promise.resolve({}) },
  proof: { build: () => Promise.resolve({}) },
};

export async function startBenchClario(env: Record<string, string>, role: Role = 'all') {
  const token = env.CLARIO_SERVICE_TOKEN ?? `svc_${randomBytes(24).toString('hex')}`;
  const clario = await startClario({
    config: loadConfig({ PORT: '0', LOG_LEVEL: 'silent', CLARIO_SERVICE_TOKEN: token, CLARIO_SESSION_SECRET: randomBytes(32).toString('hex'), ...env }),
    role,
    capabilities: noop,
    logger: pino({ level: 'silent' }),
  });
  return { clario, token, url: clario.url ?? '' };
}

/** A bench Clario process (bench/server.ts), asked over IPC. */
interface ServerProcess {
  readonly url: string;
  ask(op: 'idle' | 'seller-token' | 'close'): Promise<unknown>;
}

async function forkServer(role: Role, env: Record<string, string>): Promise<ServerProcess> {
  const child = fork(fileURLToPath(new URL('./server.ts', import.meta.url)), [], {
    // BENCH_CPU_PROF=<dir>: each Clario process writes a CPU profile there when it exits.
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [])],
    env: { ...process.env, BENCH_ROLE: role, BENCH_ENV: JSON.stringify(env) },
  });
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 0;
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench ${role} process exited (${code}) before it was ready`)));
    child.on('message', (m: { ready?: boolean; url?: string; id?: number; value?: unknown; error?: string }) => {
      if (m.ready) return resolve(m.url ?? '');
      const w = m.id === undefined ? undefined : waiting.get(m.id);
      if (!w) return;
      waiting.delete(m.id!);
      if (m.error) w.reject(new Error(m.error));
      else w.resolve(m.value);
    });
  });
  child.removeAllListeners('exit');
  return {
    url,
    ask(op) {
      const id = nextId++;
      const answered = new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));
      child.send({ id, op });
      if (op !== 'close') return answered;
      return answered.then(() => new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(undefined))));
    },
  };
}

/**
 * The bench's Clario in processes of its own, apart from the load generator: embedded is one
 * process (PGlite lives in it); with a DATABASE_URL the API and the workers run apart, as deployed,
 * or the API alone (`workers: false`), as when the workers run on other machines.
 */
export async function startBenchServers(env: Record<string, string>, options: { workers?: boolean } = {}) {
  const token = `svc_${randomBytes(24).toString('hex')}`;
  // The service's rate limit (2,000/s by default) would refuse the fixed-rate runs above it: the
  // bench measures capacity, with the limiter's own per-request cost still paid.
  const shared = { RATE_LIMIT_SERVICE_PER_MINUTE: '100000000', ...env, CLARIO_SERVICE_TOKEN: token, CLARIO_SESSION_SECRET: randomBytes(32).toString('hex') };
  const split = env.DATABASE_URL !== undefined;
  const api = await forkServer(split ? 'api' : 'all', shared);
  // `workers: false` measures the API alone: what it stores waits for a worker that never comes.
  const worker = split && options.workers !== false ? await forkServer('worker', shared) : undefined;
  return {
    url: api.url,
    token,
    waitForIdle: () => api.ask('idle'),
    sellerToken: async () => String(await api.ask('seller-token')),
    async close() {
      await worker?.ask('close');
      await api.ask('close');
    },
  };
}

/** Waits until no phase event is pending or running, so one measurement does not queue behind another. */
export async function waitForIdle(clario: Clario): Promise<void> {
  for (;;) {
    const h = await workflowHealth(clario.database.db);
    if (h.pending === 0 && h.running === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Posts phase-1 triggers over kept-alive connections (node:http: lighter than fetch, and the load
 * generator shares the machine's cores with the servers). Resolves with the status code.
 */
function triggerSender(url: string, token: string, connections: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL('/api/v1/workflow/phase/1', url);
  const tag = randomBytes(4).toString('hex');
  return {
    send(i: number): Promise<number> {
      const body = JSON.stringify({ user_id: `u${i % 100}`, sync_id: `${tag}-${i}` });
      return new Promise((resolve, reject) => {
        const req = http.request(
          target,
          {
            method: 'POST',
            agent,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            res.resume();
            res.once('end', () => resolve(res.statusCode ?? 0));
            res.once('error', reject);
          },
        );
        req.once('error', reject);
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}

/** `f`'s value, and the load generator's own CPU time meanwhile as a share of one core. */
async function withCpu<T>(f: () => Promise<T>): Promise<{ value: T; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const { user, system } = process.cpuUsage(cpu0);
  return { value, cpu: round((user + system) / 1000 / (performance.now() - t0)) };
}

/** Closed loop: `inFlight` requests outstanding at all times, each sent when one is answered. */
export async function triggerThroughput(url: string, token: string, options: { requests: number; inFlight: number }) {
  const client = triggerSender(url, token, options.inFlight);
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const start = performance.now();
  const { cpu } = await withCpu(() =>
    Promise.all(
      Array.from({ length: options.inFlight }, async () => {
        while (next < options.requests) {
          const i = next++;
          const t0 = performance.now();
          const status = await client.send(i).catch(() => 0);
          if (status !== 202) errors++;
          latencies.push(performance.now() - t0);
        }
      }),
    ),
  );
  const seconds = (performance.now() - start) / 1000;
  client.close();
  latencies.sort((a, b) => a - b);
  return {
    requests: options.requests,
    concurrency: options.inFlight,
    accepted_per_second: round(options.requests / seconds),
    p50_ms: round(percentile(latencies, 50)),
    p99_ms: round(percentile(latencies, 99)),
    max_ms: round(latencies.at(-1) ?? NaN),
    errors,
    generator_cpu: cpu,
  };
}

/**
 * Open loop (bench/open-loop.ts): triggers sent at `rate` per second for `seconds`, whatever the
 * answers do; latency from each one's due time. `connections` caps the sockets (a request finding
 * them all busy waits for one, and that wait is in its latency).
 */
export async function triggerAtRate(url: string, token: string, options: { rate: number; seconds: number; connections?: number }) {
  const client = triggerSender(url, token, options.connections ?? 256);
  const count = Math.max(1, Math.round(options.rate * options.seconds));
  const refused: Record<string, number> = {};
  const send = async (i: number) => {
    const status = await client.send(i).catch((err: unknown) => (err as { code?: string }).code ?? 'error');
    if (status !== 202) refused[status] = (refused[status] ?? 0) + 1;
    return status === 202;
  };
  const { value: run, cpu } = await withCpu(() => openLoop({ rate: options.rate, count, send }));
  client.close();
  const { latencies, errors, sendingMs, answeringMs, maxSendLagMs } = run;
  return {
    target_per_second: options.rate,
    requests: count,
    sent_per_second: round(count > 1 ? ((count - 1) * 1000) / sendingMs : NaN),
    accepted_per_second: round(((count - errors) * 1000) / answeringMs),
    p50_ms: round(percentile(latencies, 50)),
    p99_ms: round(percentile(latencies, 99)),
    max_ms: round(latencies.at(-1) ?? NaN),
    errors,
    ...(errors > 0 ? { errors_by_status: refused } : {}),
    generator_max_lag_ms: round(maxSendLagMs),
    generator_cpu: cpu,
  };
}

/** Sequential triggers, each timed until the seller's WebSocket shows the event (pending) and phase 1 completed. */
export async function triggerToWebSocket(url: string, token: string, sellerToken: string, samples: number) {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/ws?token=${sellerToken}`);
  await new Promise((r, j) => {
    ws.once('open', r);
    ws.once('error', j);
  });
  const waiters = new Map<string, { pending?: (t: number) => void; completed?: (t: number) => void }>();
  ws.on('message', (data) => {
    const m = JSON.parse((data as Buffer).toString('utf8')) as { sync_id?: string; phase?: number; status?: string };
    const w = m.sync_id ? waiters.get(m.sync_id) : undefined;
    if (!w || m.phase !== 1) return;
    if (m.status === 'pending') w.pending?.(performance.now());
    if (m.status === 'completed') w.completed?.(performance.now());
  });
  const toPending: number[] = [];
  const toCompleted: number[] = [];
  const tag = randomBytes(4).toString('hex');
  for (let i = 0; i < samples; i++) {
    const syncId = `${tag}-ws-${i}`;
    let pendingAt = 0;
    let completedAt = 0;
    const seen = new Promise<void>((resolve) => {
      waiters.set(syncId, {
        pending: (t) => (pendingAt = t),
        completed: (t) => {
          completedAt = t;
          resolve();
        },
      });
    });
    const t0 = performance.now();
    await fetch(`${url}/api/v1/workflow/phase/1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: 'bench-seller', sync_id: syncId }),
    }).then((r) => r.arrayBuffer());
    await seen;
    toPending.push((pendingAt || completedAt) - t0);
    toCompleted.push(completedAt - t0);
    waiters.delete(syncId);
  }
  ws.close();
  toPending.sort((a, b) => a - b);
  toCompleted.sort((a, b) => a - b);
  return {
    samples,
    accepted_message_p50_ms: round(percentile(toPending, 50)),
    accepted_message_p99_ms: round(percentile(toPending, 99)),
    phase_completed_message_p50_ms: round(percentile(toCompleted, 50)),
    phase_completed_message_p99_ms: round(percentile(toCompleted, 99)),
  };
}
