// Duplicate storm: every trigger of every seller's run sent 3 times at once (phase 1 and the sync
// and detection webhooks, which may arrive before phase 1 ran), and Amazon's answers out of order:
// the payout (phase 7) before the submission (phase 5), each 3 times. Exactly one case and one fee
// per claim; early events wait; nothing is dropped.
import { check, sellerId, startDriver, waitForWorkflows } from '../drive.js';
import { startProviders } from '../providers.js';
import { deploymentEnv, startNode, workloadViolations, type Scenario } from '../scenario.js';
import { workloadCapabilities } from '../workload.js';

export const storm: Scenario = async (ctx) => {
  const sellers = Math.max(2, Math.round(200 * ctx.scale));
  const providers = await startProviders();
  const database = await ctx.infra.newDatabase();
  const node = await startNode(deploymentEnv(database.url, ctx.infra.redisUrl), 'all', workloadCapabilities({
    caseApiUrl: providers.cases.url, caseTokenSecret: providers.cases.tokenSecret, feeUrl: providers.fees.url,
  }));
  try {
    const driver = startDriver({ url: node.url, token: node.env.CLARIO_SERVICE_TOKEN ?? '', providers, copies: 3 });
    const users = Array.from({ length: sellers }, (_, i) => sellerId(i));
    ctx.log(`storm: ${sellers} sellers, every trigger ×3`);
    await driver.connect(users);
    const finished = await waitForWorkflows(node.clario.database.db, users, 1, ctx.deadline);
    await driver.settle();
    await node.clario.engine.drainOutbox();
    const f = await check(node.clario.database.db, providers, users);
    const violations = workloadViolations(f);
    if (!finished) violations.push('stopped at its deadline before every workflow completed');
    if (driver.sent.failed > 0) violations.push(`${driver.sent.failed} triggers were not accepted: ${driver.sent.errors.slice(0, 3).join('; ')}`);
    if ((f.events.failed ?? 0) > 0) violations.push(`${f.events.failed} events parked`);
    return { figures: { sellers, triggers_sent: driver.sent, ...f }, violations };
  } finally {
    await node.close();
    await providers.close();
    await database.drop();
  }
};
