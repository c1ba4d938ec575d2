// compose.yaml, .env.example and the Dockerfile, checked without Docker: every Clario service,
// given the secrets .env.example says how to generate, loads a production configuration with
// every shared secret set; every service has a healthcheck and waits on what it needs; and the
// image's command and probe are the ones compose runs.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, loadConfig } from '../../src/config/config.js';
import { envOf, execForm, instructions, interpolate, operatorEnv, readEnvExample, stage, type ComposeService } from './files.js';

type Service = ComposeService;

const raw = parse(readFileSync('compose.yaml', 'utf8'), { merge: true }) as { services: Record<string, Service> };
const example = readEnvExample();
const dotEnv = operatorEnv(example);
const referenced = new Set<string>();
const services = (interpolate(raw, dotEnv, referenced) as typeof raw).services;
const clario = Object.entries(services).filter(([, s]) => s.build !== undefined || s.image === 'clario:local');
const cli = (s: Service) => (s.command ?? execForm(instructions(stage('runtime'), 'CMD')[0] ?? '')).slice(2);
const runtime = stage('runtime');

describe('.env.example', () => {
  it('names every variable compose.yaml reads, and nothing compose does not', () => {
    expect([...referenced].sort()).toEqual(Object.keys(example.values).sort());
  });

  it('gives a "generate:" command for each value compose refuses to start without, and leaves them empty', () => {
    const required = [...readFileSync('compose.yaml', 'utf8').matchAll(/\$\{(\w+):\?/g)].map((m) => m[1]);
    expect(Object.keys(example.generators).sort()).toEqual([...new Set(required)].sort());
    for (const name of required) expect(example.values[name!], `${name} must not ship a value`).toBe('');
    expect(() => interpolate(raw, example.values, new Set()), 'an unfilled .env must stop compose').toThrow();
  });

  it('is the one .env file git keeps, and the image never sees a .env', () => {
    const ignored = (path: string) => {
      try {
        execFileSync('git', ['check-ignore', '-q', path]);
        return true;
      } catch {
        return false;
      }
    };
    expect(ignored('.env')).toBe(true);
    expect(ignored('.env.example')).toBe(false);
    const dockerignore = readFileSync('.dockerignore', 'utf8').split('\n');
    expect(dockerignore).toContain('.env');
    expect(dockerignore).toContain('node_modules');
  });
});

describe('compose.yaml', () => {
  it('runs a migration, two API processes and two workers of the image', () => {
    const roles = clario.map(([, s]) => cli(s).join(' ')).sort();
    expect(roles).toEqual(['migrate', 'serve --no-worker', 'serve --no-worker', 'worker', 'worker']);
  });

  it.each(clario.map(([name, s]) => [name, s] as const))('%s: a production configuration with every shared secret, and only settings Clario knows', (_name, s) => {
    const env = s.environment ?? {};
    for (const key of Object.keys(env)) expect(CONFIG_KEYS, `${key} is not a Clario setting`).toContain(key);
    const config = loadConfig(env);
    expect(config.mode).toBe('production');
    expect(config.queue.driver).toBe('bullmq');
    expect(config.redisUrl).toMatch(/^redis:\/\/redis:/);
    expect(new URL(config.databaseUrl ?? '').host).toBe('postgres:5432');
    // Each process would otherwise make its own, and could not open what another sealed or signed.
    for (const [secret, value] of Object.entries(config.secrets)) expect(value, `secrets.${secret}`).toBeTruthy();
    expect(config.secrets).toEqual(loadConfig(clario[0]![1].environment).secrets);
    // Reachable from the other containers (and the published port), probed on its own.
    expect(config.host).toBe('0.0.0.0');
  });

  it('gives every long-running service a healthcheck; the one-shot migration is waited for until it completes', () => {
    const conditions = Object.values(services).flatMap((s) => Object.entries(s.depends_on ?? {}));
    const oneShots = new Set(conditions.filter(([, d]) => d.condition === 'service_completed_successfully').map(([name]) => name));
    expect([...oneShots]).toEqual(['migrate']);
    for (const [name, s] of Object.entries(services)) {
      if (oneShots.has(name)) {
        expect(s.restart, `${name} runs once`).toBe('no');
        continue;
      }
      expect(s.healthcheck?.test?.length, `${name} has a healthcheck`).toBeGreaterThan(1);
      expect(s.healthcheck?.disable, name).toBeUndefined();
    }
    for (const [name, d] of conditions) {
      if (!oneShots.has(name)) expect(d.condition, `waiting on ${name}`).toBe('service_healthy');
    }
  });

  it('starts every Clario process after the migration, PostgreSQL and Redis are ready', () => {
    for (const [name, s] of clario) {
      const deps = Object.fromEntries(Object.entries(s.depends_on ?? {}).map(([k, v]) => [k, v.condition]));
      expect(deps.postgres, name).toBe('service_healthy');
      if (cli(s)[0] !== 'migrate') expect(deps, name).toEqual({ migrate: 'service_completed_successfully', postgres: 'service_healthy', redis: 'service_healthy' });
    }
  });

  it("probes every API and worker as the image does, on the port it listens on", () => {
    const probe = execForm(instructions(runtime, 'HEALTHCHECK')[0] ?? '');
    for (const [name, s] of clario) {
      if (cli(s)[0] === 'migrate') continue;
      expect(s.healthcheck?.test, name).toEqual(['CMD', ...probe]);
      expect(loadConfig(s.environment).port, name).toBe(Number(envOf(runtime).PORT));
    }
  });
});

describe('the Dockerfile', () => {
  const build = stage('build');

  it('builds with every dependency and runs with the production ones only, as a user who is not root', () => {
    expect(instructions(build, 'RUN')).toEqual(['npm ci --ignore-scripts --no-audit --no-fund', 'npm run build']);
    expect(instructions(runtime, 'RUN')).toEqual(['npm ci --omit=dev --ignore-scripts --no-audit --no-fund']);
    expect(instructions(runtime, 'COPY')).toContain('--from=build /app/dist ./dist');
    expect(instructions(runtime, 'COPY')).toContain('migrations ./migrations');
    expect(instructions(runtime, 'USER')).toEqual(['node']);
    expect(instructions(runtime, 'FROM')[0]).toMatch(/AS runtime$/);
    expect(readFileSync('Dockerfile', 'utf8')).toMatch(/^ARG NODE_IMAGE=node:20-/m);
  });

  it('runs `clario serve` and probes /healthz without a token, with node (slim images have no curl)', () => {
    expect(execForm(instructions(runtime, 'CMD')[0] ?? '')).toEqual(['node', 'dist/cli/main.js', 'serve']);
    const probe = execForm(instructions(runtime, 'HEALTHCHECK')[0] ?? '');
    expect(probe.slice(0, 2)).toEqual(['node', '-e']);
    expect(probe[2]).toContain('/healthz');
    expect(probe[2]).not.toMatch(/authorization|token/i);
  });
});

describe("the README's production section", () => {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## Production mode\n'), readme.indexOf('\n## ', readme.indexOf('## Production mode\n') + 1));

  it('starts with `docker compose up`, after copying .env.example and generating its secrets as .env.example says', () => {
    const first = /^## Production mode\n+```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    expect(first).toContain('cp .env.example .env');
    expect(first).toMatch(/^docker compose up\b/m);
    for (const command of new Set(Object.values(example.generators))) expect(first).toContain(command);
  });
});
