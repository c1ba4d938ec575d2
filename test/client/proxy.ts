// A loopback proxy in front of the real server that fails the first requests as told (a status,
// optionally with headers, or 'hang' to never answer) and records the Idempotency-Key of each.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Failure = { status: number; headers?: Record<string, string>; body?: unknown } | 'hang';

export interface FlakyProxy {
  readonly url: string;
  /** The Idempotency-Key header of every request seen, in order (undefined when absent). */
  readonly keys: (string | undefined)[];
  readonly paths: string[];
  close(): Promise<void>;
}

export async function flakyProxy(target: string, failures: Failure[]): Promise<FlakyProxy> {
  const plan = [...failures];
  const keys: (string | undefined)[] = [];
  const paths: string[] = [];
  const hung: IncomingMessage[] = [];
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    keys.push(req.headers['idempotency-key'] as string | undefined);
    paths.push(req.url ?? '');
    const failure = plan.shift();
    if (failure === 'hang') {
      hung.push(req); // never answered; the client's per-attempt timeout must give up
      return;
    }
    if (failure) {
      req.resume();
      res.writeHead(failure.status, { 'content-type': 'application/json', ...failure.headers });
      res.end(JSON.stringify(failure.body ?? { error: { code: 'unavailable', message: `proxy says ${failure.status}` } }));
      return;
    }
    const fwd = httpRequest(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    fwd.on('error', () => res.destroy());
    req.pipe(fwd);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    keys,
    paths,
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of hung) r.socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port with nothing listening: bind one, then close it. */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
