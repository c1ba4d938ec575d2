// What every scenario gets and gives back: where PostgreSQL and Redis are, the scale, a deadline;
// figures, and the invariants it found broken (empty when all held).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../src/config/config.js';
import type { ReachedAmazon } from '../src/amazon/reach-amazon.js';
import type { ReachedStripe } from '../src/billing/setup.js';
import { startClario, type Clario, type Role } from '../src/main.js';
import type { Capabilities } from '../src/workflow/capabilities.js';

export interface Infra {
  /** A fresh, empty database (Clario migrates it on start); drop it afterwards. */
  newDatabase(): Promise<{ readonly url: string; drop(): Promise<void> }>;
  readonly redisUrl: string;
  /** The servers' own handles, when the scenario may stop and start them (the restart scenario). */
  readonly servers?: { restartRedis(): Promise<void>; restartPostgres(): Promise<void> };
}

export interface ScenarioContext {
  readonly infra: Infra;
  /** 1 for the sizes; the smoke tests pass much less. */
  readonly scale: number;
  /** The scenario stops by itself by then, reporting what it saw. */
  readonly deadline: number;
  log(message: string): void;
  /**
   * resilience/worker.ts compiled to JavaScript, for the processes a scenario starts (the tests
   * compile it: through tsx each start costs seconds of CPU); worker.ts through tsx without it.
   */
  readonly worker?: string;
}

export interface ScenarioResult {
  readonly name: string;
  readonly seconds: number;
  readonly figures: Record<string, unknown>;
  /** Broken invariants (lost transitions, duplicated effects, 5xx, crashes, auth mismatches). */
  readonly violations: string[];
}

export type Scenario = (ctx: ScenarioContext) => Promise<Omit<ScenarioResult, 'name' | 'seconds'>>;

export interface Node {
  readonly clario: Clario;
  readonly url: string;
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

/** The environment one Clario deployment shares across its processes. */
export function deploymentEnv(databaseUrl: string, redisUrl: string | undefined, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    CLARIO_SERVICE_TOKEN: `svc_${randomBytes(24).toString('hex')}`,
    CLARIO_SESSION_SECRET: randomBytes(32).toString('hex'),
    CLARIO_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    QUEUE_PREFIX: `res${randomBytes(4).toString('hex')}`,
    ...(redisUrl ? { REDIS_URL: redisUrl, QUEUE_DRIVER: 'bullmq' } : { QUEUE_DRIVER: 'postgres' }),
    WORKFLOW_RETRY_BASE_MS: '100',
    WORKFLOW_RETRY_MAX_MS: '2000',
    WORKFLOW_LEASE_MS: '2000',
    // Workload phases take milliseconds: an attempt hung by a server restart is handed over soon.
    WORKFLOW_ATTEMPT_TIMEOUT_MS: '15000',
    WORKFLOW_POLL_MS: '100',
    RATE_LIMIT_SERVICE_PER_MINUTE: '100000000',
    RATE_LIMIT_SELLER_PER_MINUTE: '100000000',
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: '100000000',
    LOG_LEVEL: 'silent',
    ...extra,
  };
}

/** One Clario process, in this process. */
export async function startNode(
  env: Record<string, string>,
  role: Role,
  capabilities?: Capabilities,
  options: { now?: () => number; amazon?: ReachedAmazon; stripe?: ReachedStripe } = {},
): Promise<Node> {
  const dataDir = mkdtempSync(join(tmpdir(), 'clario-res-'));
  const full = { ...env, CLARIO_DATA_DIR: dataDir };
  const clario = await startClario({
    config: loadConfig(full),
    role,
    capabilities,
    logger: pino({ level: process.env.RESILIENCE_LOG ?? 'silent' }),
    ...(options.now ? { now: options.now } : {}),
    ...(options.amazon ? { amazon: options.amazon } : {}),
    ...(options.stripe ? { stripe: options.stripe } : {}),
  });
  return {
    clario,
    url: clario.url ?? '',
    env: full,
    async close() {
      await clario.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** The invariants every workload scenario checks. */
export function workloadViolations(f: { workflows: number; workflows_completed: number; transitions_lost: number; effects_duplicated: { cases: number; fees: number }; not_completed: Record<string, number> }): string[] {
  const v: string[] = [];
  for (const [what, n] of Object.entries(f.not_completed)) v.push(`${n} × ${what}`);
  if (f.workflows_completed !== f.workflows) v.push(`${f.workflows - f.workflows_completed} of ${f.workflows} workflows did not complete`);
  if (f.transitions_lost > 0) v.push(`${f.transitions_lost} transitions lost`);
  if (f.effects_duplicated.cases > 0) v.push(`${f.effects_duplicated.cases} cases filed twice`);
  if (f.effects_duplicated.fees > 0) v.push(`${f.effects_duplicated.fees} fees charged twice`);
  return v;
}
