// A bench Clario in its own process (`fork`ed by bench/http.ts), so the load generator's own work
// does not share its event loop: production runs the API process apart from the worker process.
// Asked over IPC: { id, op: 'idle' | 'seller-token' | 'close' }, answered { id, value }.
import { startBenchClario, waitForIdle } from './http.js';
import type { Role } from '../src/main.js';

const role = (process.env.BENCH_ROLE ?? 'all') as Role;
const env = JSON.parse(process.env.BENCH_ENV ?? '{}') as Record<string, string>;
const { clario, url } = await startBenchClario(env, role);

type Request = { id: number; op: 'idle' | 'seller-token' | 'close'; userId?: string };
process.on('message', (m: Request) => {
  const answer = async (): Promise<unknown> => {
    if (m.op === 'idle') return waitForIdle(clario);
    if (m.op === 'seller-token') return clario.auth.issueSellerToken(m.userId ?? 'bench-seller', 3600);
    await clario.close();
    return undefined;
  };
  answer().then(
    (value) => {
      process.send?.({ id: m.id, value });
      if (m.op === 'close') process.disconnect();
    },
    (err: unknown) => process.send?.({ id: m.id, error: String(err) }),
  );
});
process.send?.({ ready: true, url });
