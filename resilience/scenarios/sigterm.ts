// SIGTERM: N sellers' workflows across 2 worker processes; one of them is sent SIGTERM (as an
// orchestrator's rolling restart does) while it is filing a case, 6 times by default, and started
// again. Each must exit 0 by itself, having finished what it could within its bound
// (SHUTDOWN_TIMEOUT_MS, short here) and handed the rest back: nothing it held may still be under
// its lease once it is gone (the lease is 10 s, longer than a stop takes, so only the handback can
// have freed it). The case API files at once but answers slowly, so attempts are cut after the
// case was filed and the next attempt must find it, not file it again. Nothing may be lost, no
// effect may happen twice.
import { sql } from 'drizzle-orm';
import { rows } from '../../src/store/db.js';
import { startChild } from '../child.js';
import { check, sellerId, startDriver, waitForWorkflows } from '../drive.js';
import { startProviders } from '../providers.js';
import { percentile, workloadViolations, type Scenario } from '../scenario.js';
import { startWorkerPair } from '../worker-pair.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const sigterm: Scenario = async (ctx) => {
  const sellers = Math.max(2, Math.round(120 * ctx.scale));
  const stops = Math.max(1, Math.round(Number(process.env.RESILIENCE_STOPS ?? 6) * Math.min(1, ctx.scale * 2)));
  const providers = await startProviders({ caseAnswerDelayMs: 200 });
  // An attempt inside the slow case API outlives the bound and is handed back; quicker ones finish.
  const pair = await startWorkerPair(ctx, providers, { SHUTDOWN_TIMEOUT_MS: '100', WORKFLOW_LEASE_MS: '10000' });
  const { api, workerEnv, workers } = pair;
  const db = api.clario.database.db;
  const exits: string[] = [];
  const stopMs: number[] = [];
  let signalled = 0;
  let heldAtSignal = 0;
  let leftHeld = 0;
  try {
    await Promise.all(workers.map((w) => w.ready));
    const driver = startDriver({ url: api.url, token: api.env.CLARIO_SERVICE_TOKEN ?? '', providers });
    const users = Array.from({ length: sellers }, (_, i) => sellerId(i));
    const wave = Math.ceil(sellers / stops);
    ctx.log(`sigterm: ${sellers} sellers, ${stops} SIGTERMs across 2 workers`);
    for (let k = 0; k < stops && Date.now() < ctx.deadline; k++) {
      await driver.connect(users.slice(k * wave, (k + 1) * wave));
      const slot = k % workers.length;
      const victim = workers[slot]!;
      const { workerId: victimId } = await victim.ready;
      // Signal it while it files a case (phase 4): wait (briefly) for a moment when it does.
      const heldBy = async () => (await rows<{ id: string }>(db, sql`SELECT id FROM phase_events WHERE status = 'running' AND locked_by = ${victimId}`)).map((r) => r.id);
      const filing = async () => (await rows<{ n: string }>(db, sql`SELECT count(*) AS n FROM phase_events WHERE status = 'running' AND phase = 4 AND locked_by = ${victimId}`))[0]?.n;
      for (const until = Date.now() + 3000; Number(await filing()) === 0 && Date.now() < until; ) await sleep(10);
      heldAtSignal += (await heldBy()).length;
      const signalledAt = Date.now();
      // SIGTERM; SIGKILL only if it is still there 30 s later (a violation below).
      await victim.stop(30_000);
      stopMs.push(Date.now() - signalledAt);
      signalled++;
      exits.push(victim.child.signalCode ?? String(victim.child.exitCode));
      // Everything it held is back in the inbox the moment it is gone: none waits for the lease.
      leftHeld += (await heldBy()).length;
      workers[slot] = startChild(workerEnv, 'worker', ctx.worker);
      ctx.log(`sigterm: stop ${signalled}/${stops} (exit ${exits.at(-1)})`);
    }
    await driver.connect(users.slice(stops * wave));
    const finished = await waitForWorkflows(db, users, 1, ctx.deadline);
    await driver.settle();
    const [handedBack] = await rows<{ n: string }>(db, sql`SELECT count(*) AS n FROM phase_audit WHERE error->>'code' = 'worker_stopping'`);
    const [expired] = await rows<{ n: string }>(db, sql`SELECT count(*) AS n FROM phase_audit WHERE error->>'code' = 'worker_lost'`);
    const f = await check(db, providers, users);
    const violations = workloadViolations(f);
    if (!finished) violations.push('stopped at its deadline before every workflow completed');
    if (driver.sent.failed > 0) violations.push(`${driver.sent.failed} triggers were not accepted: ${driver.sent.errors.slice(0, 3).join('; ')}`);
    if (signalled < stops) violations.push(`only ${signalled} of ${stops} SIGTERMs happened before the deadline`);
    const unclean = exits.filter((e) => e !== '0');
    if (unclean.length > 0) violations.push(`${unclean.length} workers did not exit 0 by themselves after SIGTERM (${unclean.join(', ')})`);
    if (leftHeld > 0) violations.push(`${leftHeld} events were left running under a stopped worker's lease instead of handed back`);
    if (Number(handedBack?.n) === 0) violations.push('no attempt was handed back: no SIGTERM found one outliving the bound');
    return {
      figures: {
        sellers,
        sigterms: signalled,
        exit_codes: Object.fromEntries([...new Set(exits)].map((e) => [e, exits.filter((x) => x === e).length])),
        events_held_at_signal: heldAtSignal,
        attempts_handed_back: Number(handedBack?.n),
        leases_expired: Number(expired?.n),
        stop_ms: { p50: percentile(stopMs, 50), max: Math.max(0, ...stopMs) },
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
