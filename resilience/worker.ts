// A worker process running the workload (the crash scenario starts two and SIGKILLs them). Its
// configuration comes from the environment, like `clario worker`; it says READY <worker id> on
// stdout once it takes work.
import { pino } from 'pino';
import { loadConfig } from '../src/config/config.js';
import { startClario } from '../src/main.js';
import { workloadCapabilities, workloadFromEnv } from './workload.js';

const clario = await startClario({
  config: loadConfig(process.env),
  role: 'worker',
  logger: pino({ level: process.env.RESILIENCE_WORKER_LOG ?? 'silent' }),
  capabilities: workloadCapabilities(workloadFromEnv(process.env)),
});
process.stdout.write(`READY ${clario.engine.workerId}\n`);
const stop = () => void clario.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
