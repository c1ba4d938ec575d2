// A worker serves no API, yet whatever runs it must still be able to ask whether it is alive and
// ready, and Prometheus must reach the metrics only it has: the phase transitions and durations
// are counted where phases run. So a worker answers GET /healthz and GET /readyz as the API does,
// without a token, and GET /metrics (its own registry) for the service token only, refused as the
// API's /metrics refuses; and nothing else: a worker's port must not become a second way in.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { bearer, requireService, type Principal } from './auth.js';
import { ApiError, errorBody } from './errors.js';

export interface ProbeServer {
  readonly url: string;
  close(): Promise<void>;
}

export interface ProbeServerOptions {
  readonly port: number;
  readonly host: string;
  /** This process's metrics, for GET /metrics. */
  readonly registry: Registry;
  /** Who the bearer token names: the API's own authentication (Auth.authenticate). */
  readonly authenticate: (token: string | undefined) => Promise<Principal>;
  /** Whether the database and the queue answer, bounded as the API's /readyz (ops.ts ready()). */
  readonly ready: () => Promise<boolean>;
  readonly log: { error(obj: object, msg: string): void };
}

type Answer = { readonly status: number; readonly type: string; readonly body: string };

const JSON_TYPE = 'application/json; charset=utf-8';
const json = (status: number, body: unknown): Answer => ({ status, type: JSON_TYPE, body: JSON.stringify(body) });

async function answer(request: IncomingMessage, options: ProbeServerOptions): Promise<Answer> {
  const path = (request.url ?? '').split('?')[0];
  const reads = request.method === 'GET' || request.method === 'HEAD';
  if (reads && path === '/healthz') return json(200, { status: 'ok' });
  if (reads && path === '/readyz') return (await options.ready()) ? json(200, { status: 'ok' }) : json(503, { status: 'unavailable' });
  if (request.method === 'GET' && path === '/metrics') {
    try {
      requireService(await options.authenticate(bearer(request.headers.authorization)));
    } catch (err) {
      if (err instanceof ApiError) return json(err.status, errorBody(err.code, err.message));
      throw err;
    }
    return { status: 200, type: options.registry.contentType, body: await options.registry.metrics() };
  }
  return json(404, errorBody('not_found', 'a worker answers only GET /healthz, GET /readyz and GET /metrics'));
}

export async function startProbeServer(options: ProbeServerOptions): Promise<ProbeServer> {
  const send = (request: IncomingMessage, response: ServerResponse, a: Answer) => {
    response.writeHead(a.status, { 'content-type': a.type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    response.end(request.method === 'HEAD' ? undefined : a.body);
  };
  const server: Server = createServer((request, response) => {
    answer(request, options).then(
      (a) => send(request, response, a),
      // A 5xx never says why (a session lookup that failed, say): the log does.
      (err: unknown) => {
        options.log.error({ err, path: (request.url ?? '').split('?')[0] }, 'probe server: answering failed');
        send(request, response, json(500, errorBody('internal', 'something went wrong on our side; it has been logged')));
      },
    );
  });
  // A probe or a scrape is one short request; an idle keep-alive socket must not hold shutdown up.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
