// publish() is the one way into the outbox: the row's columns come from the message, the payload
// is the message as given, and what comes back out matches the message's schema. Wrong messages
// do not compile (the @ts-expect-error lines fail the typecheck if they ever do).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, rows, type Database } from '../../src/store/db.js';
import { EVENT_CATALOGUE, type Publishable } from '../../src/workflow/messages.js';
import { publish } from '../../src/workflow/publish.js';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../support/infra.js';

interface OutboxRow {
  seq: string;
  user_id: string;
  event_id: string | null;
  type: string;
  payload: Record<string, unknown>;
}

describeWithPostgres('publish', () => {
  let database: TestDatabase;
  let store: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
    store = await openDatabase({ url: database.url, poolSize: 2 });
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  const outbox = () => rows<OutboxRow>(store.db, sql`SELECT seq, user_id, event_id, type, payload FROM outbox ORDER BY seq`);

  it('writes every catalogued message as it was given, and it still matches its schema', async () => {
    const given: Publishable[] = EVENT_CATALOGUE.map(({ example }) => {
      const { seq: _seq, ...message } = example;
      return message;
    });
    await store.db.transaction(async (tx) => {
      for (const m of given) await publish(tx, m, { eventId: 'evt-of-the-change' });
    });
    const written = await outbox();
    expect(written.map((r) => r.type)).toEqual(given.map((m) => m.type));
    for (const [i, r] of written.entries()) {
      const m = given[i]!;
      expect(r.payload).toEqual(m);
      expect(r.user_id).toBe(m.user_id);
      // A message naming its event is filed under it; the others under the change that wrote them.
      expect(r.event_id).toBe('event_id' in m ? m.event_id : 'evt-of-the-change');
      const schema = EVENT_CATALOGUE.find((e) => e.type === r.type)!.schema;
      const parsed = schema.safeParse({ ...r.payload, seq: Number(r.seq) });
      expect(parsed.success, `${r.type}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
  });

  it('writes nothing when the change it reports rolls back', async () => {
    const before = (await outbox()).length;
    const answered: Publishable = { type: 'prompt.answered', prompt_id: 'p1', claim_id: 'c1', user_id: 'u1', action: 'confirm', file_ids: [], at: '2026-12-01T10:00:00.000Z' };
    await expect(
      store.db.transaction(async (tx) => {
        await publish(tx, answered);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await outbox()).toHaveLength(before);
  });
});

// Never run: only compiled, so that a message off its type fails `tsc`.
export function wrongMessagesDoNotCompile(tx: Parameters<typeof publish>[0]) {
  const at = '2026-12-01T10:00:00.000Z';
  return [
    // @ts-expect-error a field is missing (file_ids)
    publish(tx, { type: 'prompt.answered', prompt_id: 'p', claim_id: 'c', user_id: 'u', action: 'confirm', at }),
    // @ts-expect-error a misspelt field
    publish(tx, { type: 'prompt.answered', prompt_id: 'p', claim_id: 'c', user_id: 'u', action: 'confirm', file_ids: [], at, fileIds: [] }),
    // @ts-expect-error a value outside its union
    publish(tx, { type: 'prompt.answered', prompt_id: 'p', claim_id: 'c', user_id: 'u', action: 'approve', file_ids: [], at }),
    // @ts-expect-error a type that is not catalogued
    publish(tx, { type: 'prompt.closed', prompt_id: 'p', claim_id: 'c', user_id: 'u', at }),
    // @ts-expect-error the outbox numbers messages, not the publisher
    publish(tx, { type: 'prompt.answered', prompt_id: 'p', claim_id: 'c', user_id: 'u', action: 'confirm', file_ids: [], at, seq: 1 }),
  ];
}
