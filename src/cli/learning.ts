// `clario learning replay [--since DATE] [--json]`: what routing would do with today's model.
import { parseArgs } from 'node:util';
import type { Config } from '../config/config.js';
import { formatReplay, replayRouting } from '../learning/replay.js';
import { openDatabase } from '../store/db.js';

export interface LearningCommandIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

const USAGE = 'usage: clario learning replay [--since YYYY-MM-DD] [--json]';

/** Exit codes: 0 done, 2 bad usage. */
export async function runLearningCommand(args: string[], config: Config, io: LearningCommandIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'replay') {
    io.stderr.write(`clario learning: ${sub ? `unknown subcommand '${sub}'` : 'say what to do'}\n${USAGE}\n`);
    return 2;
  }
  let values: { since?: string | undefined; json?: boolean | undefined };
  try {
    ({ values } = parseArgs({ args: rest, options: { since: { type: 'string' }, json: { type: 'boolean' } } }));
  } catch (err) {
    io.stderr.write(`clario learning: ${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    return 2;
  }
  let since: Date | undefined;
  if (values.since !== undefined) {
    since = new Date(/^\d{4}-\d{2}-\d{2}$/.test(values.since) ? `${values.since}T00:00:00Z` : values.since);
    if (Number.isNaN(since.getTime())) {
      io.stderr.write(`clario learning: --since must be a date (YYYY-MM-DD) or an ISO time, got '${values.since}'\n`);
      return 2;
    }
  }
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    const report = await replayRouting(database.db, { since, thresholds: config.routing });
    io.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReplay(report)}\n`);
    return 0;
  } finally {
    await database.close();
  }
}
