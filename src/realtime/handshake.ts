// A WebSocket handshake is an HTTP request until the 101: its headers are bounded by the HTTP
// server's headersTimeout, and from then on by this deadline, which covers everything Clario
// does before answering (authentication may wait on the database). A client that opened many
// upgrades and left them hanging held their sockets for minutes before.
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

export interface HandshakeDeadline {
  /** The upgrade on `socket` was answered: its deadline no longer applies. */
  done(socket: Duplex): void;
}

export function handshakeDeadline(server: Server, ms: number): HandshakeDeadline {
  const timers = new WeakMap<Duplex, NodeJS.Timeout>();
  server.on('upgrade', (_request, socket: Duplex) => {
    const timer = setTimeout(() => socket.destroy(), ms);
    timer.unref();
    timers.set(socket, timer);
    socket.once('close', () => clearTimeout(timer));
  });
  return {
    done(socket) {
      clearTimeout(timers.get(socket));
      timers.delete(socket);
    },
  };
}
