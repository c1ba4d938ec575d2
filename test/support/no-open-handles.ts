// Every test file closes what it opens: a server, socket, database pool, child process or timer
// still keeping the process alive once the file's own afterAll hooks have run is named on the
// output and fails the file. (Registered first, this afterAll runs last.)
import { afterAll } from 'vitest';

/** How long closed sockets and servers get to finish closing: a hang guard, not a speed limit. */
const SETTLE_MS = 10_000;

function resources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

/** What is open now and was not before the file started, e.g. ["TCPSocketWrap ×2", "Timeout"]. */
function leftOpen(before: Map<string, number>): string[] {
  const left: string[] = [];
  for (const [type, n] of resources()) {
    const extra = n - (before.get(type) ?? 0);
    // A pending file-system request finishes on its own; it is not a handle anyone forgot.
    if (extra > 0 && type !== 'FSReqCallback' && type !== 'FSReqPromise') left.push(extra > 1 ? `${type} ×${extra}` : type);
  }
  return left;
}

const before = resources();

afterAll(async () => {
  // A socket or server closes over a few turns of the event loop: wait for that, not a fixed time.
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const left = leftOpen(before);
    if (left.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(
        `this file left open: ${left.join(', ')}. Close servers, pools, clients, child processes and timers in afterEach/afterAll; ` +
          'read or cancel every fetch body (an unread body keeps its keep-alive socket); clear timers on abort ' +
          '(run with TEST_LEAKS=1 for where each was made).',
      );
    }
    // One turn of the event loop, so closing sockets and servers can finish; no fixed wait.
    await new Promise((resolve) => setImmediate(resolve));
  }
}, SETTLE_MS + 5_000);
