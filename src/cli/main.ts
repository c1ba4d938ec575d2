#!/usr/bin/env node
// The `clario` command: serve (API and worker), worker, token, migrate, detect.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { resolveSecrets, secretsPath } from '../config/secrets.js';
import { createAuth } from '../http/auth.js';
import { databaseSessions } from '../http/sessions.js';
import { StartupError, startClario, VERSION, type Role } from '../main.js';
import { openDatabase } from '../store/db.js';

const HELP = `clario ${VERSION}: recovers money Amazon owes FBA sellers

Usage:
  clario serve [--no-worker]     run the API (and, by default, a worker) on PORT (3001)
  clario worker                  run a worker only (needs DATABASE_URL)
  clario token --service         print the service token
  clario token --user USER_ID [--ttl SECONDS]
                                 start a session for one seller and print its token
                                 (it is recorded in the database: with the embedded
                                 database, run it while the server is stopped)
  clario migrate                 apply database migrations and exit
  clario simulator [--seller-folder DIR] [--port 3002]
                                 run the bundled Amazon simulator alone
  clario detect DIR --as-of YYYY-MM-DD [--format jsonl|table]
                                 find reimbursable claims in a folder of Amazon reports
  clario learning replay [--since YYYY-MM-DD] [--json]
                                 how routing would change with today's learning model (read-only)

Configuration comes from the environment; see the README.`;

async function serve(config: Config, role: Role): Promise<void> {
  const clario = await startClario({ config, role });
  const where = config.mode === 'embedded' ? `embedded (PGlite in ${config.dataDir})` : 'production (PostgreSQL)';
  const lines = [
    `Clario ${VERSION} is running: ${where}, ${clario.queue.driver} queue, role ${role}`,
  ];
  if (clario.url) {
    const ws = clario.url.replace(/^http/, 'ws');
    lines.push(
      `  Dashboard:     ${clario.url}/`,
      `  API:           ${clario.url}/api/v1/workflow`,
      `  OpenAPI:       ${clario.url}/docs/json`,
      `  WebSocket:     ${ws}/ws`,
      `  Metrics:       ${clario.url}/metrics`,
      `  Sign in:       ${clario.url}/signin/amazon   (a seller's browser starts here, then ${clario.url}/connect)`,
    );
  }
  if (clario.probeUrl) lines.push(`  Liveness:      ${clario.probeUrl}/healthz`);
  if (clario.amazon) lines.push(`  Amazon:        ${clario.amazon}`);
  if (clario.stripe) lines.push(`  Fees:          ${clario.stripe}`);
  lines.push(
    config.secrets.serviceToken
      ? '  Service token: from CLARIO_SERVICE_TOKEN'
      : `  Service token: npx clario token --service   (kept in ${secretsPath(config.dataDir)})`,
  );
  console.log(lines.join('\n'));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    clario.logger.info({ signal }, 'shutting down');
    clario.close().then(
      () => process.exit(0),
      (err: unknown) => {
        clario.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function token(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { service: { type: 'boolean' }, user: { type: 'string' }, ttl: { type: 'string' } } });
  const secrets = resolveSecrets(config);
  if (values.service) {
    process.stdout.write(`${secrets.serviceToken}\n`);
    return 0;
  }
  if (values.user) {
    const ttl = values.ttl ? Number(values.ttl) : config.sessionMaxAgeSeconds;
    if (!Number.isInteger(ttl) || ttl < 60) throw new UsageError('--ttl must be a whole number of seconds, at least 60');
    if (!/^[A-Za-z0-9._:@|+-]{1,200}$/.test(values.user)) throw new UsageError('USER_ID: letters, digits and . _ : @ | + - only');
    // A seller token is only as good as its session, so the session is recorded where the service looks.
    const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
    try {
      const auth = createAuth({ ...secrets, sessions: databaseSessions(() => database.db), maxAgeSeconds: config.sessionMaxAgeSeconds });
      process.stdout.write(`${await auth.issueSellerToken(values.user, ttl)}\n`);
    } finally {
      await database.close();
    }
    return 0;
  }
  throw new UsageError('say --service or --user USER_ID');
}

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    console.log(HELP);
    return 0;
  }
  if (command === '--version') {
    console.log(VERSION);
    return 0;
  }
  if (command === 'simulator') {
    const { runSimulatorCommand } = await import('../simulator/server/command.js');
    const { ensureDemoSeller } = await import('../simulator/demo.js');
    const { lastCompleteDay } = await import('../discovery/detect-claims.js');
    const defaultSellerFolder = () => ensureDemoSeller(loadConfig().dataDir, lastCompleteDay());
    return runSimulatorCommand(rest, { stdout: process.stdout, stderr: process.stderr, defaultSellerFolder });
  }
  if (command === 'detect') {
    const { runDetectCommand } = await import('./detect.js');
    return runDetectCommand(rest, { stdout: process.stdout, stderr: process.stderr, isTTY: Boolean(process.stderr.isTTY) });
  }
  const config = loadConfig();
  switch (command) {
    case 'serve': {
      const { values } = parseArgs({ args: rest, options: { 'no-worker': { type: 'boolean' } } });
      await serve(config, values['no-worker'] ? 'api' : 'all');
      return -1; // keeps running
    }
    case 'worker':
      await serve(config, 'worker');
      return -1;
    case 'token':
      return token(config, rest);
    case 'learning': {
      const { runLearningCommand } = await import('./learning.js');
      return runLearningCommand(rest, config, { stdout: process.stdout, stderr: process.stderr });
    }
    case 'migrate': {
      const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
      await db.close();
      console.log('migrations applied');
      return 0;
    }
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) console.error(`clario: ${err.message}\n\n${HELP}`);
    else if (err instanceof ConfigError || err instanceof StartupError) console.error(`clario: ${err.message}`);
    else if (err instanceof Error && 'code' in err && err.code === 'EADDRINUSE') console.error(`clario: ${err.message}: is Clario already running? Set PORT to use another port.`);
    else console.error('clario: failed to start:', err);
    process.exitCode = 1;
  },
);
