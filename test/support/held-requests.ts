import type { FastifyInstance, FastifyRequest } from 'fastify';

export interface HeldRequests {
  /** The first held request has reached the server (its handler has not run). */
  readonly arrived: Promise<void>;
  /** The client of the first held request closed its connection: it gave up on the call. */
  readonly cut: Promise<void>;
  /** How many requests matched so far (held or, once released, served). */
  seen(): number;
  /** Requests that match from now on are served as usual (those already held stay held). */
  release(): void;
}

/**
 * A latch in front of a simulator's routes (add it before the app listens): every request that
 * `matches` waits for ever before its handler, so a client's call is in flight for as long as the
 * test needs, and the test sees when the client cancels it.
 */
export function holdRequests(app: FastifyInstance, matches: (req: FastifyRequest) => boolean): HeldRequests {
  let seen = 0;
  let holding = true;
  let arrive!: () => void;
  let cutOff!: () => void;
  const arrived = new Promise<void>((r) => (arrive = r));
  const cut = new Promise<void>((r) => (cutOff = r));
  app.addHook('onRequest', async (req) => {
    if (!matches(req)) return;
    seen++;
    if (!holding) return;
    req.raw.socket.once('close', () => cutOff());
    arrive();
    await new Promise<never>(() => undefined);
  });
  return {
    arrived,
    cut,
    seen: () => seen,
    release() {
      holding = false;
    },
  };
}
