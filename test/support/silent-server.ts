import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server that takes every request and never answers; `arrived` resolves on the first one. */
export async function silentServer(): Promise<{ url: string; arrived: Promise<void>; close: () => Promise<void> }> {
  let arrive!: () => void;
  const arrived = new Promise<void>((r) => (arrive = r));
  const held: ServerResponse[] = [];
  const server: Server = createServer((_req: IncomingMessage, res) => {
    held.push(res);
    arrive();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arrived,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

