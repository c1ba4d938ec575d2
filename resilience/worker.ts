// A Clario process running the workload, in the role RESILIENCE_ROLE says (default `worker`; the
// crash scenario starts two and SIGKILLs them, the load scenario an API and a worker). Its
// configuration comes from the environment, like `clario serve`; it says READY <worker id> <url>
// on stdout once it takes work (`-` for a role without HTTP).
import { pino } from 'pino';
import { loadConfig } from '../src/config/config.js';
import { startClario, type Role } from '../src/main.js';
import { workloadCapabilities, workloadFromEnv } from './workload.js';

const role = (process.env.RESILIENCE_ROLE ?? 'worker') as Role;
const clario = await startClario({
  config: loadConfig(process.env),
  role,
  logger: pino({ level: process.env.RESILIENCE_WORKER_LOG ?? 'silent' }),
  capabilities: workloadCapabilities(workloadFromEnv(process.env)),
});
process.stdout.write(`READY ${clario.engine.workerId} ${clario.url ?? '-'}\n`);
const stop = () => void clario.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
