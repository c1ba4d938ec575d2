// A DATABASE_URL nobody answers at: one line naming the variable and the host, never the password
// (before: pg's ECONNREFUSED with a pool stack, and no word of DATABASE_URL).
import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { closedPort } from '../support/closed-port.js';
import { DatabaseUnreachableError, openDatabase } from '../../src/store/db.js';
import { whereIs } from '../../src/store/unreachable.js';

describe('opening a database nobody answers at', () => {
  it('says which address DATABASE_URL names and why, without its password', async () => {
    const port = await closedPort();
    const failure = await openDatabase({ url: `postgres://clario:s3cret-pw@127.0.0.1:${port}/clario` }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(DatabaseUnreachableError);
    expect((failure as Error).message).toBe(`cannot connect to the database DATABASE_URL names (127.0.0.1:${port}/clario): ECONNREFUSED`);
    expect((failure as Error).message).not.toContain('s3cret-pw');
  });

  it('shows nothing of a URL whose password holds an unencoded "/": host, port and path are then partly the password', async () => {
    // The user 127.0.0.1 with the password `${port}/Secr3tPw`: the URL reads as host 127.0.0.1,
    // port `${port}` and the path /Secr3tPw@db.example:5432/clario.
    const port = await closedPort();
    const failure = await openDatabase({ url: `postgres://127.0.0.1:${port}/Secr3tPw@db.example:5432/clario` }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(DatabaseUnreachableError);
    expect((failure as Error).message).toBe('cannot connect to the database DATABASE_URL names (an address whose password is not percent-encoded): ECONNREFUSED');
    for (const url of ['postgres://postgres:48213/Secr3tPw@127.0.0.1:5432/db', 'redis://default:48213/Secr3tPw@127.0.0.1:6379/0', 'postgres://u:12#Secr3tPw@h/db', 'postgres://u:12/x?Secr3tPw@h/db']) {
      expect(whereIs(url), url).toBe('an address whose password is not percent-encoded');
    }
    expect(whereIs('postgres://u:p%2FSecr3tPw@db.example:5432/clario')).toBe('db.example:5432/clario');
  });

  it('refuses a server that takes the connection but never answers as PostgreSQL, within its bound', async () => {
    // Another service's port (Redis's, say): start-up hung there for ever without a word.
    const accepted: Socket[] = [];
    const silent = createServer((socket) => accepted.push(socket.on('error', () => undefined)));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as { port: number };
    try {
      const failure = await openDatabase({ url: `postgres://clario:s3cret-pw@127.0.0.1:${port}/clario`, connectTimeoutMs: 200 }).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(failure).toBeInstanceOf(DatabaseUnreachableError);
      expect((failure as Error).message).toBe(`cannot connect to the database DATABASE_URL names (127.0.0.1:${port}/clario): no answer as PostgreSQL within 200 ms`);
      expect(accepted.length).toBeGreaterThan(0);
    } finally {
      for (const socket of accepted) socket.destroy();
      silent.close();
    }
  });
});
