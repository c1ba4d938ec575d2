// `npm run bench:ab -- <other checkout> [figure] [pairs]`: one figure measured in this checkout and
// another one by turns, each run in a fresh process, then the medians side by side. Each pair
// swaps which side runs first (this, other; other, this; …): the first run of a pair can be
// faster (the sync figure's was, in all of four pairs; likely the run before leaving PostgreSQL a
// dropped database's writes to finish), and that must not always favour one side. On a shared
// 2-core machine whose speed drifts by tens of percent within hours, a change is judged from
// interleaved pairs, not from two single runs far apart. Figures: `production`
// (7-phase workflows/s, PostgreSQL + BullMQ, 8 slots), `embedded` (the same on PGlite), `api` (the
// phase endpoint with the API alone: closed loop, and p50 / p99 at 1,000/s), `embedded-api` (the
// phase endpoint of the embedded service, its workers running: closed loop, and at 200/s), `sync`
// (a million ledger lines from the simulator into PostgreSQL: rows/s, and the ledger's seconds).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarize, type Run } from './ab-summary.js';

function main(): number {
  const [other, figure = 'production', pairsArg = '3'] = process.argv.slice(2).filter((a) => a !== '--');
  const pairs = Number(pairsArg);
  const here = resolve(fileURLToPath(new URL('..', import.meta.url)));
  if (!other || !existsSync(resolve(other, 'bench/workflow.ts')) || !existsSync(resolve(other, 'node_modules'))) {
    console.error('usage: npm run bench:ab -- <another checkout, with node_modules> [production|embedded|api|embedded-api|sync] [pairs]');
    return 2;
  }
  if (!['production', 'embedded', 'api', 'embedded-api', 'sync'].includes(figure) || !Number.isInteger(pairs) || pairs < 1) {
    console.error(`unknown figure "${figure}" or pairs "${pairsArg}"; figures: production, embedded, api, embedded-api, sync`);
    return 2;
  }
  const child = fileURLToPath(new URL('./ab-figure.ts', import.meta.url));
  const runs: Run[] = [];
  for (let i = 0; i < pairs; i++) {
    const sides = [['this', here], ['other', resolve(other)]] as const;
    for (const [side, checkout] of i % 2 === 0 ? sides : [...sides].reverse()) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', child, checkout, figure], { cwd: checkout, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      const line = r.stdout.trim().split('\n').pop() ?? '';
      if (r.status !== 0 || !line.startsWith('{')) {
        console.error(`the ${side} checkout's run failed (exit ${r.status})`);
        return 1;
      }
      const figures = JSON.parse(line) as Record<string, number>;
      process.stderr.write(`bench:ab: pair ${i + 1}/${pairs} ${side}: ${line}\n`);
      runs.push({ side, figures });
    }
  }
  console.log(JSON.stringify({ figure, this: here, other: resolve(other), ...summarize(runs) }, null, 2));
  return 0;
}

process.exitCode = main();
