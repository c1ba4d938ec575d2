// A worker serves no API, yet whatever runs it (Docker, Kubernetes) must still be able to ask
// whether it is alive. This answers GET /healthz as the API does, without a token, and nothing
// else: a worker's port must not become a second, unauthenticated way in.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorBody } from './errors.js';

export interface ProbeServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startProbeServer(port: number, host: string): Promise<ProbeServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    const ok = path === '/healthz' && (request.method === 'GET' || request.method === 'HEAD');
    const body = JSON.stringify(ok ? { status: 'ok' } : errorBody('not_found', 'a worker answers only GET /healthz'));
    response.writeHead(ok ? 200 : 404, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : body);
  });
  // A probe is one short request; an idle keep-alive socket must not hold shutdown up.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
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
