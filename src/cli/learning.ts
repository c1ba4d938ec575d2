// `clario learning replay [--since DATE] [--json]`: what routing would do with today's model.
import type { Config } from '../config/config.js';
import { formatReplay, replayRouting } from '../learning/replay.js';
import { openDatabase } from '../store/db.js';
import { UsageError, type CliIo } from './parse.js';

/** Exit codes: 0 done, 1 the database is in use by a running Clario (embedded), 2 bad usage. */
export async function runLearningReplay(values: { since?: string | undefined; json?: boolean | undefined }, config: Config, io: CliIo): Promise<number> {
  let since: Date | undefined;
  if (values.since !== undefined) {
    since = new Date(/^\d{4}-\d{2}-\d{2}$/.test(values.since) ? `${values.since}T00:00:00Z` : values.since);
    if (Number.isNaN(since.getTime())) throw new UsageError(`--since must be a date (YYYY-MM-DD) or an ISO time, got '${values.since}'`);
  }
  // Embedded: refuses (DataDirInUseError) while the service has the folder; PGlite has one owner.
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    const report = await replayRouting(database.db, { since, thresholds: config.routing });
    io.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReplay(report)}\n`);
    return 0;
  } finally {
    await database.close();
  }
}
