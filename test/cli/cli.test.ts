// The `clario` command. Help and usage errors are walked in-process over the command table (they
// never reach a command's run); what the real binary does is checked in a few child processes.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { dispatch, type Command } from '../../src/cli/parse.js';
import { createAuth } from '../../src/http/auth.js';
import { databaseSessions } from '../../src/http/sessions.js';
import { openDatabase } from '../../src/store/db.js';
import { resolveSecrets } from '../../src/config/secrets.js';
import { loadConfig } from '../../src/config/config.js';
import { acquireDataDirLock, lockPath, type DataDirLock } from '../../src/store/data-dir-lock.js';
import { builtDist, CLI } from '../support/compiled.js';
import { seedPglite } from '../support/infra.js';

const run = promisify(execFile);
await builtDist();
const root = mkdtempSync(join(tmpdir(), 'clario-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
/** A data directory that does not exist yet: whatever creates it is a side effect. */
const freshDir = () => join(root, `data-${++n}`);

async function clario(args: string[], env: Record<string, string> = {}) {
  try {
    const r = await run(process.execPath, [CLI, ...args], {
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Runs the dispatcher in this process with every command's run() replaced by a tripwire. */
async function inProcess(argv: string[]) {
  const ran: string[] = [];
  const guarded: Command[] = COMMANDS.map((c) => ({
    ...c,
    run: () => {
      ran.push(c.name);
      return Promise.resolve(0);
    },
  }));
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: '', err: '' };
  out.on('data', (b: Buffer) => (chunks.out += b.toString()));
  err.on('data', (b: Buffer) => (chunks.err += b.toString()));
  const code = await dispatch(guarded, argv, { stdout: out, stderr: err }, '0.0.0-test');
  return { code, stdout: chunks.out, stderr: chunks.err, ran };
}

/** Every command line the table knows, groups ('learning') included. */
const commandLines = COMMANDS.map((c) => c.name.split(' '));
const groups = [...new Set(COMMANDS.filter((c) => c.name.includes(' ')).map((c) => c.name.split(' ')[0] ?? ''))];

describe('every command and subcommand', () => {
  it('the table has the commands the README documents', () => {
    expect(COMMANDS.map((c) => c.name).sort()).toEqual(['detect', 'learning replay', 'migrate', 'serve', 'simulator', 'token', 'worker']);
  });

  it.each(commandLines)('%s … --help prints its usage, exits 0 and runs nothing', async (...words) => {
    for (const help of ['--help', '-h']) {
      const r = await inProcess([...words, help]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^usage: clario ${words.join(' ')}`));
      expect(r.stderr).toBe('');
      expect(r.ran).toEqual([]);
    }
  });

  it('lists every option a command takes in its usage line, which the overview shows', async () => {
    const overview = (await inProcess(['--help'])).stdout;
    for (const c of COMMANDS) {
      for (const option of Object.keys(c.options)) expect(c.synopsis, `${c.name} --${option}`).toMatch(new RegExp(`--${option}\\b`));
      expect(overview).toContain(`clario ${c.name}${c.synopsis ? ` ${c.synopsis}` : ''}\n`);
    }
  });

  it.each(commandLines)('%s … with an unknown flag exits 2 with one line and runs nothing', async (...words) => {
    const r = await inProcess([...words, '--no-such-flag']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^clario ${words.join(' ')}: Unknown option '--no-such-flag'\\..*\\n$`));
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.ran).toEqual([]);
  });

  it.each(groups)('the group %s has help, and says which subcommands it has', async (group) => {
    const help = await inProcess([group, '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(new RegExp(`^usage: clario ${group} `));
    const bare = await inProcess([group]);
    expect(bare.code).toBe(2);
    expect(bare.stderr.split('\n')).toHaveLength(2);
    const unknown = await inProcess([group, 'frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown subcommand 'frobnicate'/);
    expect([...bare.ran, ...unknown.ran, ...help.ran]).toEqual([]);
  });

  it('options missing their value, and stray arguments, are usage errors', async () => {
    for (const argv of [['token', '--user'], ['token', '--user', '--help'], ['serve', 'now'], ['migrate', 'all'], ['learning', 'replay', '--since']]) {
      const r = await inProcess(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr.split('\n'), argv.join(' ')).toHaveLength(2);
      expect(r.ran).toEqual([]);
    }
  });

  it('an unknown command is a usage error; no command or --help prints the overview of every command', async () => {
    const unknown = await inProcess(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("clario: unknown command 'frobnicate' (clario --help shows usage)\n");
    for (const argv of [[], ['--help']]) {
      const r = await inProcess(argv);
      expect(r.code).toBe(0);
      for (const c of COMMANDS) expect(r.stdout).toContain(`clario ${c.name}`);
    }
  });
});

describe('the clario binary', () => {
  it('--help on the commands that touch the database prints usage and leaves the folder alone', async () => {
    const dataDir = freshDir();
    const argvs = [['serve', '--help'], ['migrate', '--help'], ['token', '--help'], ['worker', '--help'], ['learning', 'replay', '--help']];
    const answers = await Promise.all(argvs.map((args) => clario(args, { CLARIO_DATA_DIR: dataDir })));
    for (const [i, r] of answers.entries()) {
      const args = argvs[i] ?? [];
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/^usage: clario /);
      expect(r.stderr).toBe('');
    }
    const bad = await clario(['token', '--user'], { CLARIO_DATA_DIR: dataDir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^clario token: [^\n]+\n$/);
    expect(existsSync(dataDir)).toBe(false);
  });

  describe('token', () => {
    let dataDir: string;
    beforeEach(() => {
      dataDir = freshDir();
    });

    it('never makes secrets: without a started service it says where it looked, and creates nothing', async () => {
      const r = await clario(['token', '--service'], { CLARIO_DATA_DIR: dataDir });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`clario: no secrets in ${dataDir} (CLARIO_DATA_DIR): start Clario first (npm start), or set CLARIO_DATA_DIR to the folder it runs on\n`);
      expect(existsSync(dataDir)).toBe(false);
    });

    it('takes the secrets from the environment when they are set (production), with no folder at all', async () => {
      const env = { CLARIO_DATA_DIR: dataDir, CLARIO_SERVICE_TOKEN: `svc_${'a'.repeat(40)}`, CLARIO_SESSION_SECRET: 'b'.repeat(40) };
      const r = await clario(['token', '--service'], env);
      expect(r).toMatchObject({ code: 0, stdout: `svc_${'a'.repeat(40)}\n` });
      expect(existsSync(dataDir)).toBe(false);
    });

    it("prints the service's token and a seller token the service accepts, and explains bad input", async () => {
      // What the service does on its first start.
      const secrets = resolveSecrets(loadConfig({ CLARIO_DATA_DIR: dataDir }));
      // A migrated database already there, as after that first start (initdb is not what is tested).
      seedPglite(dataDir);
      const service = await clario(['token', '--service'], { CLARIO_DATA_DIR: dataDir });
      expect(service.code).toBe(0);
      expect(service.stdout).toBe(`${secrets.serviceToken}\n`);
      expect(statSync(join(dataDir, 'secrets.json')).mode & 0o077).toBe(0);

      const seller = await clario(['token', '--user', 'seller-9'], { CLARIO_DATA_DIR: dataDir });
      expect(seller.code).toBe(0);
      // The token names a session recorded in the database, where the service looks it up.
      const config = loadConfig({ CLARIO_DATA_DIR: dataDir });
      const database = await openDatabase({ dataDir });
      try {
        const auth = createAuth({ ...secrets, sessions: databaseSessions(() => database.db), maxAgeSeconds: config.sessionMaxAgeSeconds });
        expect(await auth.authenticate(seller.stdout.trim())).toMatchObject({ kind: 'seller', userId: 'seller-9' });
      } finally {
        await database.close();
      }

      const badUser = await clario(['token', '--user', 'bad user!'], { CLARIO_DATA_DIR: dataDir });
      expect(badUser.code).toBe(2);
      expect(badUser.stderr).toMatch(/^clario token: USER_ID: [^\n]+\n$/);
      const badConfig = await clario(['token', '--service'], { CLARIO_DATA_DIR: dataDir, PORT: 'eighty' });
      expect(badConfig.code).toBe(1);
      expect(badConfig.stderr).toMatch(/PORT/);
    });
  });

  describe('a data directory Clario is running on', () => {
    let dataDir: string;
    let lock: DataDirLock;
    beforeEach(() => {
      dataDir = freshDir();
      // This process plays the running service: it holds the folder.
      lock = acquireDataDirLock(dataDir);
    });
    afterEach(() => lock.release());

    it('a second serve, migrate and learning replay exit 1 naming the folder and the pid, and open nothing', async () => {
      const argvs = [['serve'], ['migrate'], ['learning', 'replay']];
      const answers = await Promise.all(argvs.map((args) => clario(args, { CLARIO_DATA_DIR: dataDir, PORT: '0' })));
      for (const [i, r] of answers.entries()) {
        const args = argvs[i] ?? [];
        expect(r.code, args.join(' ')).toBe(1);
        expect(r.stderr, args.join(' ')).toMatch(new RegExp(`^clario: Clario is running on ${dataDir} \\(pid ${process.pid}, since [^)]+\\); stop it first, or use its API\\n$`));
        expect(existsSync(join(dataDir, 'pgdata'))).toBe(false);
      }
    });
  });

  it('two serve on one folder: the second exits 1 naming the first; the first frees the folder when stopped', async () => {
    const dataDir = freshDir();
    mkdirSync(dataDir, { recursive: true });
    seedPglite(dataDir);
    const env = { ...process.env, CLARIO_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', AMAZON_SIMULATOR_DECIDES_AFTER_MS: '0' };
    const first = spawn(process.execPath, [CLI, 'serve'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => first.once('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        first.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          out += chunk;
          if (out.includes('is running')) resolve();
        });
        void exited.then(() => reject(new Error(`the first serve exited: ${out}`)));
      });
      const second = await clario(['serve'], env);
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(new RegExp(`^clario: Clario is running on ${dataDir} \\(pid ${first.pid}, since [^)]+\\); stop it first, or use its API\n$`));
    } finally {
      first.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(existsSync(lockPath(dataDir))).toBe(false);
  }, 180_000);

  it('a lock left by a crashed Clario does not keep the folder: migrate takes it over, then frees it', async () => {
    const dataDir = freshDir();
    mkdirSync(dataDir, { recursive: true });
    seedPglite(dataDir);
    const crashed = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(lockPath(dataDir), JSON.stringify({ pid: Number(crashed.stdout), host: hostname(), startedAt: '2026-01-01T00:00:00Z', command: 'clario serve' }));
    const r = await clario(['migrate'], { CLARIO_DATA_DIR: dataDir });
    expect(r).toMatchObject({ code: 0, stdout: 'migrations applied\n' });
    expect(existsSync(lockPath(dataDir))).toBe(false);
  });

  it('serve on a port in use says so and exits 1 before it touches the data directory', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    const dataDir = freshDir();
    try {
      const r = await clario(['serve'], { CLARIO_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`clario: port ${port} on 127.0.0.1 is in use: is Clario already running? Set PORT to use another port.\n`);
      expect(existsSync(dataDir) ? readdirSync(dataDir) : []).toEqual([]);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it.each(['not..a.host', '999.1.1.1', '10.99.99.99'])('serve and worker on HOST=%s say in one line that HOST is no address here, before they open anything', async (host) => {
    // Before: getaddrinfo ENOTFOUND or listen EADDRNOTAVAIL, with a stack.
    for (const command of ['serve', 'worker']) {
      const dataDir = freshDir();
      const r = await clario([command], { CLARIO_DATA_DIR: dataDir, HOST: host, PORT: '0', ...(command === 'worker' ? { DATABASE_URL: 'postgres://127.0.0.1:1/unused' } : {}) });
      expect(r.code, command).toBe(1);
      expect(r.stderr, command).toMatch(
        new RegExp(`^clario: HOST=${host.replace(/\./g, '\\.')} is (no address or host name this machine can resolve \\((ENOTFOUND|EAI_AGAIN)\\)|not an address of this machine \\(EADDRNOTAVAIL\\)): set HOST to one of its addresses, or 0\\.0\\.0\\.0 for all\n$`),
      );
      expect(existsSync(dataDir), command).toBe(false);
    }
  });

  it('worker alone in the embedded mode says it needs DATABASE_URL', async () => {
    const r = await clario(['worker'], { CLARIO_DATA_DIR: freshDir() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/needs DATABASE_URL/);
  });

  it('detect says when the input is unusable', async () => {
    const missing = await clario(['detect', join(root, 'no-such-folder'), '--as-of', '2026-11-22']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^clario detect: cannot read the folder/);
  });
});
