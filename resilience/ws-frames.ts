// Raw WebSocket abuse: a socket that upgrades properly, then sends a frame no client should.
// Shared by the bad-input scenario and test/security/websocket-abuse.test.ts.
import net from 'node:net';

/** Upgrades, writes `frame`, and resolves when the server closes (its close frame, or the TCP end). */
export async function rawFrame(baseUrl: string, token: string, frame: Buffer): Promise<void> {
  const { port } = new URL(baseUrl);
  const socket = net.connect(Number(port), '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  socket.write(
    `GET /ws?token=${token} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  await new Promise((r) => socket.once('data', r)); // 101 Switching Protocols
  socket.write(frame);
  await new Promise<void>((resolve) => {
    socket.on('data', (d: Buffer) => {
      if ((d[0]! & 0x0f) === 0x8) resolve();
    });
    socket.once('close', () => resolve());
    socket.once('error', () => resolve());
  });
  socket.destroy();
}

const mask = Buffer.from([1, 2, 3, 4]);
export const masked = (opcode: number, payload: Buffer) =>
  Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length]), mask, Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!))]);

/** Frames a server must refuse, each alone on its connection. */
export const BAD_FRAMES: ReadonlyArray<{ readonly what: string; readonly frame: Buffer }> = [
  { what: 'a client frame without a mask', frame: Buffer.from([0x81, 0x02, 0x68, 0x69]) },
  { what: 'text that is not UTF-8', frame: masked(0x1, Buffer.from([0xff, 0xfe, 0xfd])) },
  { what: 'a reserved opcode', frame: masked(0x3, Buffer.from('x')) },
  // 4 GiB announced, far over the 64 KiB limit: refused before any is read.
  { what: 'a 4 GiB binary frame', frame: Buffer.concat([Buffer.from([0x82, 0xff, 0, 0, 0, 1, 0, 0, 0, 0]), mask]) },
  { what: 'a fragmented control frame', frame: Buffer.concat([Buffer.from([0x09, 0x81]), mask, Buffer.from([0x78 ^ 1])]) },
  { what: 'a close frame with a bad code', frame: masked(0x8, Buffer.from([0x03, 0xe7])) },
];
