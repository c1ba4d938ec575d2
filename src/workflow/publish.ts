// The one way a message reaches the outbox: written in the transaction of the change it reports,
// so a seller never hears of a change that did not commit, nor misses one that did. The relay
// (outbox-relay.ts) sends it on after the commit; the outbox numbers it (`seq`).
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../store/db.js';
import { outbox } from '../store/schema/workflow-tables.js';
import type { MessageOf, MessageType, Publishable } from './messages.js';

export interface PublishOptions {
  /** The phase event the message is about, when the message does not name one itself (`event_id`). */
  readonly eventId?: string | null;
  /** When the row is created; by default the transaction's time. */
  readonly createdAt?: Date;
}

/** Writes `message` to the outbox inside `tx`; its type is checked against messages.ts when compiled. */
export async function publish(tx: Db, message: Publishable, options: PublishOptions = {}): Promise<void> {
  await tx.insert(outbox).values({
    userId: message.user_id,
    eventId: 'event_id' in message ? message.event_id : (options.eventId ?? null),
    type: message.type,
    payload: message,
    ...(options.createdAt ? { createdAt: options.createdAt } : {}),
  });
}

/** The fields of message `T` but its type, as SQL expressions: every one of them, and no other. */
export type MessageSql<T extends MessageType> = { readonly [K in Exclude<keyof MessageOf<T>, 'type' | 'seq'>]-?: SQL };

/**
 * Message `T` as a `jsonb_build_object`, for a statement that publishes one message per row it
 * changes (transitions.ts), where the fields are columns rather than JavaScript values.
 */
export function messageSql<T extends MessageType>(type: T, fields: MessageSql<T>): SQL {
  // The keys are the message type's own field names, never input, so they are safe to inline.
  const pairs = Object.entries<SQL>(fields).map(([key, value]) => sql`${sql.raw(`'${key}'`)}, ${value}`);
  return sql`jsonb_build_object('type', ${type}::text, ${sql.join(pairs, sql`, `)})`;
}
