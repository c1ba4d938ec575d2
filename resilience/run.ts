// `npm run resilience [-- scenario...]`: runs the scenarios (all by default) against the suite's
// own PostgreSQL and Redis, each bounded in time, and prints a JSON report and a short table.
// RESILIENCE_SCALE (default 1) scales the sizes; RESILIENCE_SELLERS and RESILIENCE_KILLS set the
// crash scenario's directly, RESILIENCE_STOPS the sigterm scenario's. Exit code 1 when any invariant broke.
import { startOwnServers } from './infra.js';
import { buildReport, formatTable } from './report.js';
import type { Scenario, ScenarioResult } from './scenario.js';
import { authMatrix } from './scenarios/auth-matrix.js';
import { badInput } from './scenarios/bad-input.js';
import { crash } from './scenarios/crash.js';
import { load } from './scenarios/load.js';
import { restart } from './scenarios/restart.js';
import { sigterm } from './scenarios/sigterm.js';
import { storm } from './scenarios/storm.js';

/** Each scenario and the time it may take at scale 1 before it stops by itself. */
const SCENARIOS: Record<string, { run: Scenario; budgetS: number }> = {
  crash: { run: crash, budgetS: 600 },
  sigterm: { run: sigterm, budgetS: 360 },
  restart: { run: restart, budgetS: 300 },
  storm: { run: storm, budgetS: 180 },
  'bad-input': { run: badInput, budgetS: 240 },
  'auth-matrix': { run: authMatrix, budgetS: 60 },
  load: { run: load, budgetS: 240 },
};

const log = (m: string) => process.stderr.write(`resilience: ${m}\n`);

async function main(): Promise<number> {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = names.filter((n) => !(n in SCENARIOS));
  if (unknown.length > 0) {
    console.error(`unknown scenario ${unknown.join(', ')}; choose from ${Object.keys(SCENARIOS).join(', ')}`);
    return 2;
  }
  const scale = Number(process.env.RESILIENCE_SCALE ?? '1');
  log('starting its own PostgreSQL and Redis on loopback');
  const infra = await startOwnServers();
  const results: ScenarioResult[] = [];
  try {
    for (const name of names.length > 0 ? names : Object.keys(SCENARIOS)) {
      const { run, budgetS } = SCENARIOS[name]!;
      const started = Date.now();
      const deadline = started + budgetS * 1000 * Math.max(0.25, Math.min(1, scale));
      log(`${name}…`);
      // The scenario stops itself at its deadline; the hard stop a minute later catches a hang.
      let timer: NodeJS.Timeout | undefined;
      const hang = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`did not stop within a minute of its deadline`)), deadline - started + 60_000);
      });
      try {
        const r = await Promise.race([run({ infra, scale, deadline, log }), hang]);
        results.push({ name, seconds: Math.round((Date.now() - started) / 100) / 10, ...r });
      } catch (err) {
        results.push({ name, seconds: Math.round((Date.now() - started) / 100) / 10, figures: {}, violations: [`the scenario failed: ${String(err)}`] });
      } finally {
        clearTimeout(timer);
      }
    }
  } finally {
    await infra.stop();
  }
  const report = buildReport(scale, results);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n\n${formatTable(report)}\n`);
  return report.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
