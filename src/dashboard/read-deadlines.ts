// The overview's "Next deadlines": the open claims that can still be filed, nearest deadline first,
// each with who it waits for. A claim already filed has met its deadline, and an expired, paid or
// dismissed one has none left, so neither is listed.
import { sql } from 'drizzle-orm';
import type { ClaimStatus } from '../domain/claim-status.js';
import { amountOrNull } from '../http/json.js';
import { rows, type Db } from '../store/db.js';
import { OPEN } from './claim-order.js';
import { waitingFor } from '../domain/claim-waiting.js';
import { holdOf } from '../domain/filing-holds.js';

export async function nextDeadlines(q: Db, userId: string, limit = 5) {
  const found = await rows<{
    id: string;
    type: string;
    status: ClaimStatus;
    deadline: string;
    amount_minor: string | number | null;
    currency: string | null;
    detection_status: string | null;
    missing: unknown;
    hold: Record<string, unknown> | null;
  }>(
    q,
    sql`SELECT id, type, status, deadline::text AS deadline, amount_minor, currency,
               details->>'detection_status' AS detection_status, score->'missing' AS missing, details->'hold' AS hold
        FROM claims
        WHERE user_id = ${userId} AND status IN (${sql.join(OPEN.map((s) => sql`${s}`), sql`, `)}) AND deadline IS NOT NULL AND deadline >= current_date
        ORDER BY deadline ASC, id ASC LIMIT ${limit}`,
  );
  return found.map((d) => {
    const w = waitingFor({ status: d.status, detectionStatus: d.detection_status, missing: Array.isArray(d.missing) ? d.missing : [], hold: holdOf({ hold: d.hold }) ?? null });
    return {
      claim_id: d.id,
      type: d.type,
      status: d.status,
      deadline: d.deadline,
      amount: amountOrNull(d.amount_minor, d.currency),
      waiting_on: w?.on ?? null,
      why: w?.why ?? null,
    };
  });
}
