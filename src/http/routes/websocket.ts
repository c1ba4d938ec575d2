// `/ws`: a seller's live workflow messages. `?since=<event_id>` first replays what they missed
// from the outbox, then continues live without gaps or repeats.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type {} from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { sql } from 'drizzle-orm';
import type { BusMessage } from '../../realtime/bus.js';
import type { Hub, Subscriber } from '../../realtime/hub.js';
import type { SocketError } from '../../workflow/messages.js';
import { rows, type Db } from '../../store/db.js';
import type { SocketGate } from '../../realtime/gate.js';
import type { HandshakeDeadline } from '../../realtime/handshake.js';
import { bearer, SESSION_COOKIE, subjectOf, type Principal } from '../auth.js';
import type { OriginCheck } from '../origins.js';
import { ApiError } from '../errors.js';
import { Id } from '../schemas.js';

export interface WebSocketDeps {
  readonly db: Db;
  readonly hub: Hub;
  readonly principal: (request: unknown) => Principal;
  readonly gate: SocketGate;
  readonly handshake: HandshakeDeadline;
  readonly ownOrigin: OriginCheck;
}

/** A socket this far behind is dropped; it can reconnect with ?since= and catch up. */
const MAX_BUFFERED = 4 * 1024 * 1024;
const REPLAY_LIMIT = 5000;

const Query = z.object({ token: z.string().optional(), since: z.string().max(100).optional(), user_id: Id.optional() });

async function missed(db: Db, userId: string, sinceEventId: string): Promise<BusMessage[] | undefined> {
  const [mark] = await rows<{ seq: string | number | null }>(
    db,
    sql`SELECT max(seq) AS seq FROM outbox WHERE user_id = ${userId} AND event_id = ${sinceEventId}`,
  );
  if (!mark || mark.seq === null) return undefined;
  const found = await rows<{ seq: string | number; type: string; payload: Record<string, unknown> }>(
    db,
    sql`SELECT seq, type, payload FROM outbox WHERE user_id = ${userId} AND seq > ${Number(mark.seq)}
        ORDER BY seq LIMIT ${REPLAY_LIMIT}`,
  );
  return found.map((r) => ({ seq: Number(r.seq), userId, type: r.type, payload: { ...r.payload, seq: Number(r.seq) } }));
}

/**
 * Whose slot a socket takes: a seller's own, whatever they ask for (a refused socket still counts
 * against them until it closes), or the user the service watches.
 */
function slotOf(principal: Principal, query: unknown): string {
  if (principal.kind === 'seller') return `seller:${principal.userId}`;
  const q = Query.safeParse(query);
  const subject = q.success ? subjectOf(principal, q.data.user_id) : undefined;
  return `service:${subject?.ok ? subject.userId : ''}`;
}

export function websocketRoutes(app: FastifyInstance, deps: WebSocketDeps): void {
  /**
   * Before the upgrade is answered (after authentication): a session cookie counts only from
   * Clario's own pages, and a slot must be free. Both refusals are plain HTTP answers (403, 503).
   */
  const admit = async (request: FastifyRequest) => {
    const principal = deps.principal(request);
    if (principal.kind === 'anonymous') return;
    const query = request.query as Record<string, unknown> | undefined;
    const byCookie = !bearer(request.headers.authorization) && typeof query?.token !== 'string' && request.cookies[SESSION_COOKIE] !== undefined;
    if (byCookie && !deps.ownOrigin(request.headers.origin, request.headers.host)) {
      deps.gate.refused('origin');
      throw new ApiError('forbidden', "a session cookie opens /ws only from Clario's own pages");
    }
    const who = slotOf(principal, request.query);
    const slot = deps.gate.reserve(who);
    if (slot !== 'ok') {
      throw new ApiError('unavailable', slot === 'capacity' ? 'too many open connections; retry later' : 'too many open connections for this user');
    }
    // The TCP socket's end gives the slot back, whether the upgrade completed or not.
    request.raw.socket.once('close', () => deps.gate.release(who));
    return Promise.resolve();
  };

  app.get('/ws', { websocket: true, preValidation: admit, schema: { hide: true } }, (socket: WebSocket, request) => {
    deps.handshake.done(request.raw.socket);
    const principal = deps.principal(request);
    const query = Query.safeParse(request.query);
    // Refused after the upgrade, so the client hears why (a close reason is at most 123 bytes).
    const refuse = (reason: string) => socket.close(1008, reason.slice(0, 100));
    if (!query.success) return refuse('bad query');
    const subject = subjectOf(principal, query.data.user_id);
    if (!subject.ok) return refuse(subject.message);
    const uid = subject.userId;
    const sent = new Set<number>();
    let replaying = true;
    const held: BusMessage[] = [];
    const send = (m: BusMessage) => {
      if (sent.has(m.seq)) return;
      sent.add(m.seq);
      // Only recent seqs can repeat (replay overlapping live); keep the set small.
      if (sent.size > 10_000) for (const s of [...sent].slice(0, 5_000)) sent.delete(s);
      if (socket.bufferedAmount > MAX_BUFFERED) {
        socket.close(1013, 'too far behind; reconnect with ?since=');
        return;
      }
      socket.send(JSON.stringify(m.payload));
    };
    const subscriber: Subscriber = {
      push: (m) => (replaying ? held.push(m) : send(m)),
      close: (code, reason) => socket.close(code, reason),
    };
    // A seller's socket is closed when their session ends (sign-out, expiry); a service socket has none.
    if (!deps.hub.add(uid, subscriber, principal.kind === 'seller' ? principal.session : undefined)) {
      socket.close(1013, 'too many connections for this user');
      return;
    }
    socket.on('close', () => deps.hub.remove(uid, subscriber));
    socket.on('error', () => deps.hub.remove(uid, subscriber));
    // Clients have nothing to say; whatever they send is ignored.
    socket.on('message', () => undefined);

    const since = query.data.since;
    void (async () => {
      try {
        if (since) {
          const replay = await missed(deps.db, uid, since);
          if (replay === undefined) {
            socket.send(JSON.stringify({ type: 'error', code: 'unknown_since', message: `no event ${since} in your history` } satisfies SocketError));
          } else {
            for (const m of replay) send(m);
          }
        }
      } catch (err) {
        request.log.error({ err }, 'websocket replay failed');
        socket.close(1011, 'replay failed');
      } finally {
        replaying = false;
        for (const m of held.splice(0)) send(m);
      }
    })();
  });
}
