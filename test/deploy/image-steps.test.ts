// The image, built and run without Docker (there is no daemon in CI): the Dockerfile's own steps,
// read from it and run in order in temporary folders. The build stage builds a copy of the
// repository (its dependencies linked, not installed again: they are what `npm ci` would give);
// the runtime stage installs the production dependencies alone, takes dist/ and migrations/, and
// runs compose's commands with compose's settings against PostgreSQL and Redis: the migration on
// an empty database, then an API process and a worker, which take a seller from the Amazon
// callback (phase 1's trigger) through phase 4. So the runtime never needs a dev dependency.
// As with `docker build`, a RUN step whose inputs are unchanged since it last succeeded is taken
// from a layer cache (layer-cache.ts): the production install while the lock file stays the same,
// the build while no file of the context changes. On a fresh clone (CI) the build the repository
// made of these very files (`npm ci`'s prepare runs the same `npm run build`) is that cached layer.
// And as BuildKit does, the runtime stage runs beside the build stage until it copies from it.
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import pg from 'pg';
import { parse } from 'yaml';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { lastCompleteDay } from '../../src/detection/detect-claims.js';
import { ensureDemoSeller } from '../../src/simulator/demo.js';
import { DEMO_SELLER_ID } from '../../src/simulator/server/command.js';
import { startSimulator, type StartedSimulator } from '../../src/simulator/server/app.js';
import { TEST_USAGE_PLANS } from '../support/amazon-plans.js';
import type { TestClario } from '../support/clario.js';
import { connectDemoSeller } from '../support/connect.js';
import { describeWithRedis, postgres, randomName, redis } from '../support/infra.js';
import { waitFor } from '../support/wait.js';
import { envOf, execForm, instructions, interpolate, operatorEnv, stage, type ComposeService, type Stage } from './files.js';
import { checkBuild, INPUTS } from '../../scripts/build-if-stale.js';
import { runCached, seedCache } from './layer-cache.js';

const REPO = resolve('.');
/** Only what a machine's npm needs; nothing from the test runner's own environment leaks in. */
const BASE_ENV = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => /^(PATH|HOME|TMPDIR|npm_config_registry|npm_config_cache|https?_proxy|HTTPS?_PROXY|no_proxy|NO_PROXY)$/.test(k)),
) as Record<string, string>;

function sh(command: string, cwd: string, env: Record<string, string>): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn('sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`${command} (in ${cwd}) exited ${code}:\n${output.slice(-4000)}`))));
  });
}

/** The build context: the repository's files as git sees them (committed or not, ignored ones left out); returns them. */
function copyContext(to: string): string[] {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO, encoding: 'utf8' }).split('\0');
  const copied: string[] = [];
  for (const file of files) {
    const from = join(REPO, file);
    if (file === '' || !existsSync(from) || !statSync(from).isFile()) continue;
    mkdirSync(dirname(join(to, file)), { recursive: true });
    cpSync(from, join(to, file));
    copied.push(join(to, file));
  }
  return copied;
}

/**
 * Whether the repository's dist/ is its build of exactly the context's files: current (not older
 * than the sources: scripts/build-if-stale.ts), and no file the build reads left out of the
 * context (an ignored file under src/ or web/ that only the repository's build saw).
 */
function repositoryBuildOf(files: readonly string[], context: string): boolean {
  if (checkBuild(REPO) !== undefined) return false;
  const inContext = new Set(files.map((f) => relative(context, f)));
  const outside: string[] = [];
  const visit = (path: string) => {
    if (statSync(join(REPO, path)).isDirectory()) {
      for (const name of readdirSync(join(REPO, path))) if (name !== 'node_modules') visit(join(path, name));
    } else if (!inContext.has(path)) outside.push(path);
  };
  for (const input of INPUTS) if (existsSync(join(REPO, input))) visit(input);
  return outside.length === 0;
}

/**
 * Runs one stage's COPY and RUN in `workdir` (the Dockerfile's WORKDIR /app); `run` decides how
 * each RUN runs. A COPY --from waits for that stage's folder.
 */
async function runStage(s: Stage, o: { workdir: string; context: string; stages: Record<string, Promise<string>>; run: (command: string) => Promise<void> }) {
  for (const { keyword, args } of s.instructions) {
    if (keyword === 'WORKDIR') expect(args).toBe('/app');
    if (keyword === 'RUN') await o.run(args);
    if (keyword !== 'COPY') continue;
    const words = args.split(/\s+/);
    const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
    const [dest = '', ...sources] = words.filter((w) => !w.startsWith('--')).reverse();
    const root = from ? await o.stages[from] : o.context;
    if (!root) throw new Error(`COPY --from=${from}: no such stage`);
    for (const source of sources.reverse()) {
      const src = join(root, from ? source.replace(/^\/app\/?/, '') : source);
      const target = dest.endsWith('/') || sources.length > 1 ? join(o.workdir, dest, basename(src)) : join(o.workdir, dest);
      if (resolve(src) !== resolve(target)) cpSync(src, target, { recursive: true });
    }
  }
}

const freePort = () =>
  new Promise<number>((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });

interface Started {
  readonly child: ChildProcess;
  output: string;
}

describeWithRedis('the image, built and run outside Docker', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'clario-image-'));
  const context = join(tmp, 'context');
  const app = join(tmp, 'app');
  const runtime = stage('runtime');
  const services = (parse(readFileSync('compose.yaml', 'utf8'), { merge: true }) as { services: Record<string, ComposeService> }).services;
  const composed = (interpolate(services, operatorEnv(), new Set()) as Record<string, ComposeService>);
  const database = randomName('clario_image');
  const databaseUrl = Object.assign(new URL(postgres.adminUrl), { pathname: `/${database}` }).toString();
  const timings: Record<string, number> = {};
  /** The RUN steps that were Docker's cache hits this time (the same inputs built before). */
  const cached: string[] = [];
  const children: Started[] = [];
  let simulator: StartedSimulator;
  let env: Record<string, string>;
  const ports = { api: 0, worker: 0 };

  const timed = async <T>(label: string, f: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    try {
      return await f();
    } finally {
      timings[label] = Date.now() - started;
    }
  };

  const start = (command: string[], port: number, extra: Record<string, string> = {}): Started => {
    const [bin, ...args] = command;
    expect(bin).toBe('node');
    const child = spawn(process.execPath, args, { cwd: app, env: { ...env, PORT: String(port), ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
    const started: Started = { child, output: '' };
    child.stdout?.on('data', (d: Buffer) => (started.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (started.output += d.toString()));
    children.push(started);
    return started;
  };

  beforeAll(async () => {
    mkdirSync(context);
    mkdirSync(app);
    const files = await timed('copy the build context', () => Promise.resolve(copyContext(context)));
    const built = timed('build stage (npm run build)', () =>
      runStage(stage('build'), {
        workdir: context,
        context,
        stages: {},
        // The installed dependencies are what `npm ci` gives from the same lock file: linked, not installed again.
        run: async (command) => {
          if (command.startsWith('npm ci ')) return symlinkSync(join(REPO, 'node_modules'), join(context, 'node_modules'), 'dir');
          if (command !== 'npm run build') return sh(command, context, BASE_ENV);
          // The build reads the whole context (and the dependencies its lock file names).
          const step = { name: 'image-build', command, cwd: context, inputs: files, output: 'dist', run: () => sh(command, context, BASE_ENV) };
          const seeded = repositoryBuildOf(files, context) && seedCache(step, join(REPO, 'dist'), ['.build-stamp']);
          if ((await runCached(step)) === 'cached') cached.push(seeded ? `${command} (the repository's build of the same files)` : command);
        },
      }),
    ).then(() => context);
    // Until COPY --from=build, the runtime stage needs nothing of the build stage.
    const installed = timed('runtime stage (npm ci --omit=dev)', () =>
      runStage(runtime, {
        workdir: app,
        context,
        stages: { build: built },
        run: async (command) => {
          if (!command.startsWith('npm ci ')) return sh(command, app, BASE_ENV);
          // The production install reads the two files copied before it, as Docker's layer does.
          const inputs = ['package.json', 'package-lock.json'].map((f) => join(app, f));
          const step = { name: 'image-runtime-deps', command, cwd: app, inputs, output: 'node_modules', link: true, run: () => sh(command, app, BASE_ENV) };
          if ((await runCached(step)) === 'cached') cached.push(command);
        },
      }),
    );
    // Both settled before either failure is reported: no step is left running.
    for (const r of await Promise.allSettled([built, installed])) if (r.status === 'rejected') throw r.reason;

    const admin = new pg.Client({ connectionString: postgres.adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database}"`);
    await admin.end();

    // Several processes need one Amazon: a standalone simulator, as `clario simulator` would run it.
    const dataDir = join(tmp, 'data');
    const folder = await ensureDemoSeller(join(tmp, 'simulator'), lastCompleteDay());
    simulator = await startSimulator(0, { sellers: new Map([[DEMO_SELLER_ID, { folder }]]), clientId: 'image-client', clientSecret: 'image-secret', rateLimits: false, usagePlans: TEST_USAGE_PLANS });
    // Compose's settings for the API, with this machine's PostgreSQL, Redis and Amazon.
    env = {
      ...BASE_ENV,
      ...envOf(runtime),
      ...composed['api-1']?.environment,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: randomName('cimg'),
      HOST: '127.0.0.1',
      PUBLIC_URL: '',
      CLARIO_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      AMAZON_LWA_CLIENT_ID: 'image-client',
      AMAZON_LWA_CLIENT_SECRET: 'image-secret',
      AMAZON_SP_APP_ID: 'amzn1.sp.solution.image',
      AMAZON_SP_API_URL: simulator.url,
      AMAZON_LWA_TOKEN_URL: `${simulator.url}/auth/o2/token`,
      AMAZON_CONSENT_URL: simulator.url,
      // Login with Amazon's sign-in, where Clario has it (settings it does not know are ignored).
      AMAZON_LWA_AUTHORIZE_URL: `${simulator.url}/ap/oa`,
      AMAZON_LWA_PROFILE_URL: `${simulator.url}/user/profile`,
      AMAZON_REPORT_POLL_MS: '50',
      AMAZON_SYNC_INTERVAL_HOURS: '0',
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000000',
    };
    ports.api = await freePort();
    ports.worker = await freePort();
  }, 1_200_000);

  afterAll(async () => {
    await Promise.all(
      children.map(({ child }) => new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : (child.once('exit', r), child.kill('SIGTERM'))))),
    );
    await simulator?.close();
    const admin = new pg.Client({ connectionString: postgres.adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
    rmSync(tmp, { recursive: true, force: true });
    console.log(`image steps, in ms: ${JSON.stringify(timings)}${cached.length > 0 ? `; from the layer cache: ${cached.join(', ')}` : ''}`);
  }, 120_000);

  it('has no dev dependency in the runtime', () => {
    for (const dev of ['typescript', 'vitest', 'vite', 'tsx', 'drizzle-kit', 'eslint']) expect(existsSync(join(app, 'node_modules', dev)), dev).toBe(false);
    expect(existsSync(join(app, 'dist/cli/main.js'))).toBe(true);
    expect(existsSync(join(app, 'dist/web/index.html'))).toBe(true);
  });

  it("migrates an empty database with compose's migrate command", async () => {
    const migrate = composed.migrate?.command ?? [];
    const done = start(migrate, 0);
    const code = await timed('migrate', () => new Promise((r) => done.child.once('exit', r)));
    expect(code, done.output).toBe(0);
    expect(done.output).toContain('migrations applied');
  }, 120_000);

  it("takes a seller from Amazon's callback through phase 4 with compose's API and worker commands", async () => {
    const api = start(composed['api-1']?.command ?? [], ports.api);
    const worker = start(composed['worker-1']?.command ?? [], ports.worker);
    const url = `http://127.0.0.1:${ports.api}`;
    const token = env.CLARIO_SERVICE_TOKEN ?? '';
    const answers = async (u: string, headers: Record<string, string> = {}) => (await fetch(u, { headers }).catch(() => undefined))?.status === 200;
    const exited = () => [api, worker].some(({ child }) => child.exitCode !== null);
    await timed('processes up', async () => {
      await waitFor(async () => exited() || (await answers(`${url}/healthz`, { authorization: `Bearer ${token}` })), 'the API process', 120_000);
      await waitFor(async () => exited() || (await answers(`http://127.0.0.1:${ports.worker}/healthz`)), 'the worker process', 120_000);
    });
    expect(exited(), `${api.output}\n${worker.output}`).toBe(false);

    const status = async (userId: string) =>
      (await (await fetch(`${url}/api/v1/workflow/status/${userId}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        runs: { phases: { phase: number; status: string }[] }[];
      };
    await timed('phases 1–4', async () => {
      const { userId } = await connectDemoSeller({ url } as TestClario);
      await waitFor(async () => (await status(userId)).runs[0]?.phases[3]?.status === 'completed', 'phases 1–4', 600_000).catch((err: unknown) =>
        status(userId).then((s) => {
          throw new Error(`${String(err)}: ${JSON.stringify(s)}\n${api.output.slice(-3000)}\n${worker.output.slice(-3000)}`);
        }),
      );
    });
  }, 900_000);

  // Without a token, as Docker asks: /healthz is one of the routes that need none.
  it("passes the image's HEALTHCHECK, run as Docker runs it, in the API and in the worker", async () => {
    const probe = execForm(instructions(runtime, 'HEALTHCHECK')[0] ?? '');
    for (const port of [ports.api, ports.worker]) {
      const check = start(probe, port);
      expect(await new Promise((r) => check.child.once('exit', r)), `port ${port}: ${check.output}`).toBe(0);
    }
  }, 60_000);
});
