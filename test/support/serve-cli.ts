// `clario serve` from the build, in a process of its own: for tests of what a signal or a kill
// does to the real binary. `url` is the address its banner prints once it listens.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { CLI } from './compiled.js';

export interface ServedCli {
  readonly child: ChildProcessByStdio<null, Readable, null>;
  readonly url: Promise<string>;
  /** The exit code (null when a signal ended it: see child.signalCode). */
  readonly exited: Promise<number | null>;
}

export function serveCli(env: Record<string, string>): ServedCli {
  const child = spawn(process.execPath, [CLI, 'serve'], { env: { ...process.env, PORT: '0', LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const m = /Dashboard:\s+(http:\/\/\S+?)\/\s/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    void exited.then(() => reject(new Error(`serve exited before it started: ${out}`)));
  });
  return { child, url, exited };
}
