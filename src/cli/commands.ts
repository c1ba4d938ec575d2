// Every `clario` command, in one table: the dispatcher (parse.ts) gives each the same `--help` and
// usage errors, the overview lists them, and the CLI test walks them all from here.
// Each command loads what it runs when it runs, so `--help` and `token` answer at once.
import type { Config } from '../config/config.js';
import type { Role } from '../config/role.js';
import { DETECT_DETAILS, DETECT_OPTIONS } from './detect-options.js';
import { EXIT, UsageError, type Command } from './parse.js';
import { SIMULATOR_DETAILS, SIMULATOR_OPTIONS, SIMULATOR_SYNOPSIS } from '../simulator/server/options.js';

// Even the configuration (zod) loads on use: `--help` and a usage error need none of it.
const loadConfig = async (): Promise<Config> => (await import('../config/config.js')).loadConfig();
const serve = async (role: Role) => (await import('./serve.js')).serve(await loadConfig(), role);

const CONFIG_NOTE = 'Configuration comes from the environment (README: Configuration).';
const FOLDER_NOTE =
  'In the embedded mode the data directory (CLARIO_DATA_DIR) has one owner at a time: this command\n' +
  'exits 1, naming the process, while Clario runs on the same folder.';

export const COMMANDS: readonly Command[] = [
  {
    name: 'serve',
    synopsis: '[--no-worker]',
    summary: 'Run the API (and, by default, a worker) on PORT (3001).',
    details: `Options:
  --no-worker   the API only (needs DATABASE_URL; run workers with 'clario worker')

Exits 1 at once when PORT is in use, before opening the database.
${FOLDER_NOTE}
${CONFIG_NOTE}`,
    options: { 'no-worker': { type: 'boolean' } },
    async run({ values }) {
      await serve(values['no-worker'] ? 'api' : 'all');
      return EXIT.keepsRunning;
    },
  },
  {
    name: 'worker',
    synopsis: '',
    summary: 'Run a worker only, beside API processes on the same PostgreSQL (needs DATABASE_URL).',
    details: CONFIG_NOTE,
    options: {},
    async run() {
      await serve('worker');
      return EXIT.keepsRunning;
    },
  },
  {
    name: 'token',
    synopsis: '--service | --user USER_ID [--ttl SECONDS]',
    summary: "Print the service token, or a signed token for one seller, from the secrets Clario made on its first start.",
    details: `Options:
  --service         the service token (full access)
  --user USER_ID    a token for one seller (letters, digits and . _ : @ | + -)
  --ttl SECONDS     how long the seller's session lasts (default SESSION_MAX_AGE_SECONDS, at least 60)

Reads the secrets Clario made in CLARIO_DATA_DIR on its first start (or CLARIO_SERVICE_TOKEN and
CLARIO_SESSION_SECRET); never makes new ones: without them it exits 1 and says to start Clario.
A seller token is only as good as its session, so --user records one in the database: with the
embedded database, run it while the service is stopped (the data folder has one owner).`,
    options: { service: { type: 'boolean' }, user: { type: 'string' }, ttl: { type: 'string' } },
    async run({ values }, io) {
      const { service, user, ttl } = values as { service?: boolean; user?: string; ttl?: string };
      if (service && user !== undefined) throw new UsageError('say --service or --user USER_ID, not both');
      if (!service && user === undefined) throw new UsageError('say --service or --user USER_ID');
      if (service && ttl !== undefined) throw new UsageError('--ttl goes with --user');
      const config = await loadConfig();
      let seconds = config.sessionMaxAgeSeconds;
      if (user !== undefined) {
        if (!/^[A-Za-z0-9._:@|+-]{1,200}$/.test(user)) throw new UsageError('USER_ID: letters, digits and . _ : @ | + - only');
        if (ttl !== undefined) {
          seconds = Number(ttl);
          if (!/^\d+$/.test(ttl) || seconds < 60) throw new UsageError('--ttl must be a whole number of seconds, at least 60');
        }
      }
      const secrets = (await import('../config/secrets.js')).readSecrets(config);
      if (service) {
        io.stdout.write(`${secrets.serviceToken}\n`);
        return EXIT.ok;
      }
      const [{ createAuth }, { databaseSessions }, { openDatabase }] = await Promise.all([import('../http/auth.js'), import('../http/sessions.js'), import('../store/db.js')]);
      const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
      try {
        const auth = createAuth({ ...secrets, sessions: databaseSessions(() => database.db), maxAgeSeconds: config.sessionMaxAgeSeconds });
        io.stdout.write(`${await auth.issueSellerToken(user ?? '', seconds)}\n`);
      } finally {
        await database.close();
      }
      return EXIT.ok;
    },
  },
  {
    name: 'migrate',
    synopsis: '',
    summary: 'Apply database migrations and exit (the service also applies them when it starts).',
    details: `${FOLDER_NOTE}\n${CONFIG_NOTE}`,
    options: {},
    async run(_parsed, io) {
      const config = await loadConfig();
      const { migrationNotice, openDatabase } = await import('../store/db.js');
      const db = await openDatabase({
        url: config.databaseUrl,
        dataDir: config.dataDir,
        onMigrations: (pending) => io.stdout.write(`${migrationNotice(pending)}\n`),
      });
      await db.close();
      io.stdout.write('migrations applied\n');
      return EXIT.ok;
    },
  },
  {
    name: 'simulator',
    synopsis: SIMULATOR_SYNOPSIS,
    summary: 'Run the bundled Amazon simulator alone.',
    details: SIMULATOR_DETAILS,
    options: SIMULATOR_OPTIONS,
    async run({ argv }, io) {
      const { runSimulatorCommand } = await import('../simulator/server/command.js');
      const { ensureDemoSeller } = await import('../simulator/demo.js');
      const { lastCompleteDay } = await import('../detection/detect-claims.js');
      // Only without --seller-folder: the simulator alone needs no configuration otherwise.
      const defaultSellerFolder = async () => ensureDemoSeller((await loadConfig()).dataDir, lastCompleteDay());
      return runSimulatorCommand(argv, { stdout: io.stdout, stderr: io.stderr, defaultSellerFolder });
    },
  },
  {
    name: 'detect',
    synopsis: 'DIR --as-of YYYY-MM-DD [--format jsonl|table]',
    summary: 'Find reimbursable claims in a folder of Amazon reports (read-only, no database).',
    details: DETECT_DETAILS,
    options: DETECT_OPTIONS,
    positionals: [0, 1], // detect says what is missing itself
    async run({ argv }, io) {
      const { runDetectCommand } = await import('./detect.js');
      return runDetectCommand(argv, { stdout: io.stdout, stderr: io.stderr, isTTY: Boolean(process.stderr.isTTY) });
    },
  },
  {
    name: 'learning replay',
    synopsis: '[--since YYYY-MM-DD] [--json]',
    summary: "How routing would change with today's learning model (read-only).",
    details: `Options:
  --since DATE   only claims created since then (YYYY-MM-DD or an ISO time)
  --json         the report as JSON

${FOLDER_NOTE}
${CONFIG_NOTE}`,
    options: { since: { type: 'string' }, json: { type: 'boolean' } },
    async run({ values }, io) {
      const { runLearningReplay } = await import('./learning.js');
      return runLearningReplay(values, await loadConfig(), io);
    },
  },
];
