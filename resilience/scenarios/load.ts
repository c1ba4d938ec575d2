// Load: the phase endpoint at rising rates (autocannon, a fixed overall rate per step, every
// request a new trigger) until p99 latency passes 100 ms or errors pass 1 %. Reports the highest
// rate held and its error rate. Production mode: PostgreSQL + BullMQ, an API process and a worker
// process running the workflows, each its own process, so autocannon (here) measures the service
// rather than competing with it for one event loop.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { startChild } from '../child.js';
import { startProviders } from '../providers.js';
import { deploymentEnv, type Scenario } from '../scenario.js';

const P99_LIMIT_MS = 100;

interface Step {
  readonly rate: number;
  readonly achieved: number;
  /** Requests sent, and those answered 2xx (accepted triggers). */
  readonly sent: number;
  readonly accepted: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly error_rate: number;
  readonly held: boolean;
}

function step(url: string, token: string, rate: number, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: `${url}/api/v1/workflow/phase/1`,
    method: 'POST',
    connections: Math.min(64, Math.max(4, Math.ceil(rate / 20))),
    overallRate: rate,
    duration: seconds,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    requests: [
      {
        // A new seller each time: the endpoint stores and queues every one (no duplicate shortcut).
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ user_id: `load-${randomUUID()}` }) }),
      },
    ],
  });
}

async function storedTriggers(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM phase_events WHERE phase = 1 AND user_id LIKE 'load-%'");
    return r.rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}

export const load: Scenario = async (ctx) => {
  const seconds = Math.max(2, Math.round(8 * Math.min(1, ctx.scale)));
  const providers = await startProviders();
  const database = await ctx.infra.newDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'clario-load-'));
  const env: Record<string, string> = { ...deploymentEnv(database.url, ctx.infra.redisUrl), ...providers.env, CLARIO_DATA_DIR: dataDir };
  const api = startChild(env, 'api', ctx.worker);
  const worker = startChild(env, 'worker', ctx.worker);
  const token = env.CLARIO_SERVICE_TOKEN ?? '';
  const steps: Step[] = [];
  let fiveHundreds = 0;
  let accepted = 0;
  try {
    const [{ url }] = await Promise.all([api.ready, worker.ready]);
    if (!url) throw new Error('the API process did not say where it listens');
    const warmUp = await step(url, token, 50, 1); // warm-up: connections, prepared statements
    accepted += warmUp['2xx'];
    fiveHundreds += warmUp['5xx'];
    // At least one step however slow the start was: the deadline bounds the climb, not the check.
    for (let rate = 50; steps.length === 0 || Date.now() + seconds * 1000 + 5000 < ctx.deadline; rate = Math.round(rate * 1.5)) {
      const r = await step(url, token, rate, seconds);
      const total = r.requests.total || 1;
      fiveHundreds += r['5xx'];
      accepted += r['2xx'];
      const s: Step = {
        rate,
        achieved: Math.round(r.requests.average),
        sent: r.requests.sent,
        accepted: r['2xx'],
        p50_ms: r.latency.p50,
        p99_ms: r.latency.p99,
        error_rate: Math.round(((r.errors + r.non2xx) / total) * 10_000) / 10_000,
        held: false,
      };
      const held = s.p99_ms <= P99_LIMIT_MS && s.error_rate <= 0.01 && s.achieved >= rate * 0.9;
      steps.push({ ...s, held });
      ctx.log(`load: ${rate}/s → ${s.achieved}/s, p99 ${s.p99_ms} ms, errors ${s.error_rate}`);
      if (!held) break;
    }
    const best = [...steps].reverse().find((s) => s.held);
    // Every trigger answered 202 is stored (a request that timed out may be stored too, hence ≥).
    const stored = await storedTriggers(database.url);
    const violations = [
      ...(fiveHundreds > 0 ? [`${fiveHundreds} answers were 5xx under load`] : []),
      ...(stored < accepted ? [`${accepted - stored} accepted triggers were not stored`] : []),
    ];
    return {
      figures: { p99_limit_ms: P99_LIMIT_MS, step_seconds: seconds, highest_rate_held: best?.rate ?? 0, p99_at_highest_ms: best?.p99_ms ?? null, error_rate_at_highest: best?.error_rate ?? null, accepted, stored, steps },
      violations,
    };
  } finally {
    await Promise.all([api.stop(), worker.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
    await providers.close();
    await database.drop();
  }
};
