// A statement sent from outside while a transaction is open on PGlite's thread: the transaction runs
// `first`, the outside statement is sent, then the transaction runs `last` and ends. PGlite runs the
// outside one after the transaction; had it run in between, its answer would come first.
import type { PgliteThread, PgliteThreadTransaction } from '../../src/store/pglite-thread.js';

export async function outsideAnOpenTransaction<T>(
  thread: PgliteThread,
  steps: { first(t: PgliteThreadTransaction): Promise<unknown>; last(t: PgliteThreadTransaction): Promise<unknown>; outside(): Promise<T> },
): Promise<{ order: string[]; outside: T }> {
  const order: string[] = [];
  let inside: () => void = () => undefined;
  const open = new Promise<void>((r) => (inside = r));
  let sent: () => void = () => undefined;
  const outsideSent = new Promise<void>((r) => (sent = r));
  const tx = thread.transaction(async (t) => {
    await steps.first(t);
    inside();
    await outsideSent;
    await steps.last(t);
    order.push('tx');
  });
  await open;
  const outside = steps.outside().then((value) => {
    order.push('outside');
    return value;
  });
  sent();
  await tx;
  return { order, outside: await outside };
}
