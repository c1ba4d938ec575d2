// Refused attempts that an operator must see (a selling partner claimed by a second account):
// written when they happen, read by GET /api/v1/ops/security-events.
import { desc } from 'drizzle-orm';
import type { Db } from '../store/db.js';
import { securityEvents } from '../store/schema/connect-tables.js';

export interface SecurityEvent {
  readonly kind: 'partner_link_refused';
  readonly userId: string | null;
  readonly sellingPartnerId: string | null;
  readonly detail: Record<string, unknown>;
}

export async function recordSecurityEvent(db: Db, e: SecurityEvent): Promise<void> {
  await db.insert(securityEvents).values({ kind: e.kind, userId: e.userId, sellingPartnerId: e.sellingPartnerId, detail: e.detail });
}

export function recentSecurityEvents(db: Db, limit: number) {
  return db.select().from(securityEvents).orderBy(desc(securityEvents.id)).limit(limit);
}
