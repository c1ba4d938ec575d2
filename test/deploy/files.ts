// Readers for the deployment files the deploy tests check: the Dockerfile's stages and
// instructions, .env.example with its "generate:" commands, and compose's ${VAR} interpolation.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

export interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

export interface Stage {
  readonly name: string;
  readonly instructions: readonly Instruction[];
}

/** The Dockerfile's stages, each with its instructions (continuation lines joined, comments dropped). */
export function readDockerfile(path = 'Dockerfile'): Stage[] {
  const logical: string[] = [];
  let current = '';
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && current === '')) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1).trim()} `;
      continue;
    }
    logical.push((current + line).trim());
    current = '';
  }
  const stages: { name: string; instructions: Instruction[] }[] = [];
  for (const line of logical.filter((l) => l !== '')) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') stages.push({ name: /\bAS\s+(\S+)/i.exec(args)?.[1] ?? String(stages.length), instructions: [] });
    stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args });
  }
  return stages;
}

export function stage(name: string): Stage {
  const found = readDockerfile().find((s) => s.name === name);
  if (!found) throw new Error(`the Dockerfile has no stage ${name}`);
  return found;
}

export const instructions = (s: Stage, keyword: string): string[] => s.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

/** The exec form (a JSON array) of a CMD or of a HEALTHCHECK's CMD. */
export function execForm(args: string): string[] {
  const json = args.slice(args.indexOf('['));
  return JSON.parse(json) as string[];
}

/** ENV lines (`A=1 B=2`) as an object. */
export function envOf(s: Stage): Record<string, string> {
  return Object.fromEntries(instructions(s, 'ENV').flatMap((args) => [...args.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1] ?? '', m[2] ?? ''])));
}

export interface EnvExample {
  readonly values: Record<string, string>;
  /** The command each "# generate: …" comment gives for the variable below it. */
  readonly generators: Record<string, string>;
}

export function readEnvExample(path = '.env.example'): EnvExample {
  const text = readFileSync(path, 'utf8');
  const generators: Record<string, string> = {};
  let pending: string | undefined;
  for (const line of text.split('\n')) {
    const generate = /^#\s*generate:\s*(.+)$/.exec(line);
    if (generate) pending = generate[1];
    const assignment = /^([A-Z0-9_]+)=/.exec(line);
    if (assignment?.[1]) {
      if (pending) generators[assignment[1]] = pending;
      pending = undefined;
    }
  }
  return { values: parseEnv(text) as Record<string, string>, generators };
}

/** Runs a "generate:" command as an operator would, in a shell. */
export function generate(command: string): string {
  return execFileSync('sh', ['-c', command], { encoding: 'utf8' }).trim();
}

/** Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, $$. */
export function interpolate(value: unknown, env: Record<string, string>, seen: Set<string>): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (whole, name: string | undefined, op: string | undefined, arg: string | undefined) => {
      if (whole === '$$' || !name) return '$';
      seen.add(name);
      const v = env[name];
      const missing = op?.startsWith(':') ? v === undefined || v === '' : v === undefined;
      if (!missing) return v ?? '';
      if (op?.endsWith('?')) throw new Error(`${name}: ${arg ?? 'required'}`);
      return op?.endsWith('-') ? (arg ?? '') : '';
    });
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, env, seen));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env, seen)]));
  return value;
}

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  restart?: string;
  environment?: Record<string, string>;
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
}

/** What an operator's .env holds: .env.example with every "generate:" command's output filled in. */
export function operatorEnv(example = readEnvExample()): Record<string, string> {
  return { ...example.values, ...Object.fromEntries(Object.entries(example.generators).map(([k, cmd]) => [k, generate(cmd)])) };
}
