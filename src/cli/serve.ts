// `clario serve` and `clario worker`: start the service, say where everything is, stop on a signal.
import { createServer } from 'node:net';
import { MAX_TIMER_MS, type Config } from '../config/config.js';
import { checkRole, type Role } from '../config/role.js';
import { secretsPath } from '../config/secrets.js';
import type { Clario } from '../main.js';
import type { Tracing } from '../observability/tracing.js';
import { DataDirInUseError, lockHolder } from '../store/data-dir-lock.js';
import { VERSION } from '../version.js';

export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
}

/** HOST and PORT name no place this process may listen at (a host that does not resolve, another machine's address). */
export class ListenError extends Error {
  override readonly name = 'ListenError';
}

/** Why listening at `host`:`port` failed, in one line naming the setting to change. */
function listenFailure(err: NodeJS.ErrnoException, host: string, port: number): Error {
  switch (err.code) {
    case 'EADDRINUSE':
      return new PortInUseError(`port ${port} on ${host} is in use: is Clario already running? Set PORT to use another port.`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
      return new ListenError(`HOST=${host} is no address or host name this machine can resolve (${err.code}): set HOST to one of its addresses, or 0.0.0.0 for all`);
    case 'EADDRNOTAVAIL':
      return new ListenError(`HOST=${host} is not an address of this machine (EADDRNOTAVAIL): set HOST to one of its addresses, or 0.0.0.0 for all`);
    case 'EACCES':
      return new ListenError(`port ${port} on ${host} needs privileges this process does not have (EACCES): set PORT to 1024 or above`);
    default:
      return err.code ? new ListenError(`cannot listen on HOST=${host} PORT=${port}: ${err.code}`) : err;
  }
}

/**
 * Fails at once when the port is taken or HOST is no address here, before the database is opened
 * or the folder locked: a second `npm start` should not touch the first one's data to find out it
 * cannot listen.
 */
export function probePort(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => reject(listenFailure(err, host, port)));
    // Port 0 (any free port) is still tried: HOST may be wrong.
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve()));
  });
}

export function banner(clario: Clario, config: Config, role: Role): string {
  const where = config.mode === 'embedded' ? `embedded (PGlite in ${config.dataDir})` : 'production (PostgreSQL)';
  const lines = [`Clario ${VERSION} is running: ${where}, ${clario.queue.driver} queue, role ${role}`];
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
  if (clario.probeUrl) {
    lines.push(
      `  Liveness:      ${clario.probeUrl}/healthz   (readiness: /readyz)`,
      `  Metrics:       ${clario.probeUrl}/metrics   (service token)`,
    );
  }
  if (clario.amazon) lines.push(`  Amazon:        ${clario.amazon}`);
  if (clario.stripe) lines.push(`  Fees:          ${clario.stripe}`);
  lines.push(
    config.secrets.serviceToken
      ? '  Service token: from CLARIO_SERVICE_TOKEN'
      : `  Service token: npx clario token --service   (kept in ${secretsPath(config.dataDir)})`,
  );
  return lines.join('\n');
}

/**
 * When a stop that hangs is cut short: 10 s past SHUTDOWN_TIMEOUT_MS, within what a Node timer
 * keeps (a longer one fires at once, which exited 1 on every SIGTERM).
 */
export function hardStopAfterMs(shutdownTimeoutMs: number): number {
  return Math.min(shutdownTimeoutMs + 10_000, MAX_TIMER_MS);
}

export async function serve(config: Config, role: Role): Promise<void> {
  // The refusals first, each in milliseconds: loading the app takes seconds.
  checkRole(config, role);
  // A worker listens on PORT too (its liveness probe).
  await probePort(config.host, config.port);
  // Only a look: opening the database takes the folder for real (or fails the same way).
  const holder = config.mode === 'embedded' ? lockHolder(config.dataDir) : undefined;
  if (holder) throw new DataDirInUseError(config.dataDir, holder);
  // The signals are handled from here on: start-up takes seconds, and minutes when an upgrade's
  // migrations run, and a SIGTERM meanwhile ended the process (143) without a word.
  const { createLogger } = await import('../observability/logger.js');
  const logger = createLogger(config.logLevel);
  const startup = new AbortController();
  // What has started so far.
  const running: { clario?: Clario; tracing?: Tracing | undefined } = {};
  let stopping = false;
  const stopStarted = (clario: Clario) => {
    // The spans of the last requests and attempts are exported once they have ended.
    clario.close().finally(() => running.tracing?.shutdown()).then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal, shutdownTimeoutMs: config.shutdownTimeoutMs }, running.clario ? 'shutting down' : 'shutting down: stopping the start-up');
    // close() keeps its own bound; this one catches a step that hangs past it (a stuck database
    // close, a migration still running), so the process never outlives its orchestrator's patience by much.
    setTimeout(() => {
      logger.error({ shutdownTimeoutMs: config.shutdownTimeoutMs }, 'shutdown did not finish in time; exiting');
      process.exit(1);
    }, hardStopAfterMs(config.shutdownTimeoutMs)).unref();
    // Start-up stops at its next step and stops what it started (below).
    if (running.clario) stopStarted(running.clario);
    else startup.abort();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const [{ startClario, StartupAbortedError }, { startTracing }] = await Promise.all([import('../main.js'), import('../observability/tracing.js')]);
  // Before anything runs, so every span has a provider (a no-op without OTEL_EXPORTER_OTLP_ENDPOINT).
  running.tracing = await startTracing(process.env);
  let clario: Clario;
  try {
    clario = await startClario({ config, role, logger, signal: startup.signal });
  } catch (err) {
    if (!(err instanceof StartupAbortedError)) throw err;
    await running.tracing?.shutdown();
    logger.info('stopped before it had started');
    process.exit(0);
  }
  running.clario = clario;
  // A signal after start-up's last step: it has started, so it stops as it would later.
  if (startup.signal.aborted) {
    stopStarted(clario);
    return;
  }
  // After the start-up logs, set apart, so it is the last thing on the screen once started.
  console.log(`\n${banner(clario, config, role)}\n`);
}
