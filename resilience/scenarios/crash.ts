// Crash: N sellers' workflows across 2 worker processes; one of them is SIGKILLed at random
// moments (20 times by default) and started again. Sellers connect in waves between the kills so
// that work is always in flight. Nothing may be lost, no effect may happen twice; the figures say
// how long the killed worker's events took to be taken over.
import { sql } from 'drizzle-orm';
import { startChild } from '../child.js';
import { check, sellerId, startDriver, waitForWorkflows } from '../drive.js';
import { startProviders } from '../providers.js';
import { percentile, workloadViolations, type Scenario } from '../scenario.js';
import { startWorkerPair } from '../worker-pair.js';
import { rows } from '../../src/store/db.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const crash: Scenario = async (ctx) => {
  const sellers = Math.max(2, Math.round(Number(process.env.RESILIENCE_SELLERS ?? 1000) * ctx.scale));
  const kills = Math.max(1, Math.round(Number(process.env.RESILIENCE_KILLS ?? 20) * Math.min(1, ctx.scale * 2)));
  const providers = await startProviders();
  const pair = await startWorkerPair(ctx, providers);
  const { api, workerEnv, workers } = pair;
  const db = api.clario.database;
  const recoveries: Promise<number>[] = [];
  const restarts: number[] = [];
  let killed = 0;
  let heldAtKill = 0;
  try {
    await Promise.all(workers.map((w) => w.ready));
    const driver = startDriver({ url: api.url, token: api.env.CLARIO_SERVICE_TOKEN ?? '', providers });
    const users = Array.from({ length: sellers }, (_, i) => sellerId(i));
    const wave = Math.ceil(sellers / kills);
    ctx.log(`crash: ${sellers} sellers, ${kills} SIGKILLs across 2 workers`);
    for (let k = 0; k < kills && Date.now() < ctx.deadline; k++) {
      await driver.connect(users.slice(k * wave, (k + 1) * wave));
      await sleep(200 + Math.random() * 1000);
      const slot = Math.floor(Math.random() * workers.length);
      const victim = workers[slot]!;
      const { workerId: victimId } = await victim.ready;
      // Kill it while it works: wait (briefly) for a moment when it holds an event.
      const heldBy = async () => (await rows<{ id: string }>(db.db, sql`SELECT id FROM phase_events WHERE status = 'running' AND locked_by = ${victimId}`)).map((r) => r.id);
      let held = await heldBy();
      for (const until = Date.now() + 3000; held.length === 0 && Date.now() < until; held = await heldBy()) await sleep(10);
      heldAtKill += held.length;
      const killedAt = Date.now();
      victim.child.kill('SIGKILL');
      await victim.exited;
      killed++;
      const next = startChild(workerEnv, 'worker', ctx.worker);
      workers[slot] = next;
      void next.ready.then(() => restarts.push(Date.now() - killedAt), () => undefined);
      // Recovered: none of the events it held is still held by the dead worker.
      recoveries.push(
        (async () => {
          for (;;) {
            const [r] = await rows<{ n: string }>(db.db, sql`SELECT count(*) AS n FROM phase_events WHERE locked_by = ${victimId} AND status = 'running'`);
            if (Number(r?.n) === 0 || Date.now() > ctx.deadline) return Date.now() - killedAt;
            await sleep(50);
          }
        })(),
      );
      ctx.log(`crash: kill ${killed}/${kills} (${held.length} events held)`);
    }
    await driver.connect(users.slice(kills * wave));
    const finished = await waitForWorkflows(db.db, users, 1, ctx.deadline);
    await driver.settle();
    const recovered = await Promise.all(recoveries);
    const f = await check(db.db, providers, users);
    const violations = workloadViolations(f);
    if (!finished) violations.push('stopped at its deadline before every workflow completed');
    if (driver.sent.failed > 0) violations.push(`${driver.sent.failed} triggers were not accepted: ${driver.sent.errors.slice(0, 3).join('; ')}`);
    if (killed < kills) violations.push(`only ${killed} of ${kills} kills happened before the deadline`);
    return {
      figures: {
        sellers,
        kills: killed,
        events_held_at_kills: heldAtKill,
        time_to_recover_ms: { p50: percentile(recovered, 50), max: Math.max(0, ...recovered) },
        worker_restart_ms: { p50: percentile(restarts, 50), max: Math.max(0, ...restarts) },
        triggers_sent: driver.sent,
        ...f,
      },
      violations,
    };
  } finally {
    await pair.close();
    await providers.close();
  }
};
