// A Clario process of its own (resilience/worker.ts), for the scenarios that kill one (crash) or
// must not share an event loop with the load they measure (load).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Role } from '../src/main.js';

const ENTRY = fileURLToPath(new URL('./worker.ts', import.meta.url));

export interface Child {
  readonly child: ChildProcess;
  /** Its worker id and, for roles that serve HTTP, its URL; once it takes work. */
  readonly ready: Promise<{ readonly workerId: string; readonly url: string | undefined }>;
  readonly exited: Promise<void>;
  /** SIGTERM (a graceful close), SIGKILL if it is not gone within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * RESILIENCE_CHILD_NODE_ARGS adds node flags to every child, say `--cpu-prof --cpu-prof-dir=/tmp/prof`.
 * `entry` is worker.ts compiled to JavaScript (ScenarioContext.worker), or worker.ts itself through tsx.
 */
export function startChild(env: Record<string, string>, role: Role = 'worker', entry?: string): Child {
  const nodeArgs = (process.env.RESILIENCE_CHILD_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, ...(entry ? [entry] : ['--import', 'tsx', ENTRY])], { env: { ...process.env, ...env, RESILIENCE_ROLE: role }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const ready = new Promise<{ workerId: string; url: string | undefined }>((resolve, reject) => {
    let buffered = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const m = /READY (\S+) (\S+)/.exec(buffered);
      if (m?.[1] && m[2]) resolve({ workerId: m[1], url: m[2] === '-' ? undefined : m[2] });
    });
    void exited.then(() => reject(new Error(`the ${role} process exited before it was ready`)));
  });
  ready.catch(() => undefined); // a process killed while starting is expected
  return {
    child,
    ready,
    exited,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
