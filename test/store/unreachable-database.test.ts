// A DATABASE_URL nobody answers at: one line naming the variable and the host, never the password
// (before: pg's ECONNREFUSED with a pool stack, and no word of DATABASE_URL).
import { describe, expect, it } from 'vitest';
import { closedPort } from '../support/closed-port.js';
import { DatabaseUnreachableError, openDatabase } from '../../src/store/db.js';

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
});
