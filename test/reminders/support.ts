// Claims, cases and rejections written as the phases leave them, and a reminders loop on a test
// Clario driven round by round with its own clock.
import type { Db } from '../../src/store/db.js';
import { claims } from '../../src/store/schema/claims-tables.js';
import { filings } from '../../src/store/schema/filing-tables.js';
import { rejections } from '../../src/store/schema/learning-tables.js';
import type { ClaimStatus } from '../../src/domain/claim-status.js';
import { createReminderLoop, type ReminderLoopOptions } from '../../src/reminders/remind.js';
import type { TestClario } from '../support/clario.js';

let n = 0;

export async function claim(db: Db, userId: string, o: { status?: ClaimStatus; deadline?: string | null; caseId?: string; filingId?: string; details?: Record<string, unknown> } = {}): Promise<string> {
  n++;
  const id = `clm_r${n}_${Math.random().toString(36).slice(2, 8)}`;
  await db.insert(claims).values({
    id,
    userId,
    type: 'lost_warehouse',
    status: o.status ?? 'prompted',
    amountMinor: 3720,
    currency: 'USD',
    quantity: 3,
    deadline: o.deadline === undefined ? '2026-12-10' : o.deadline,
    caseId: o.caseId ?? null,
    filingId: o.filingId ?? null,
    details: {
      sku: `MUG-${n}`,
      fnsku: `X00MUG${n}`,
      key: { fnsku: `X00MUG${n}` },
      filing: { event_date: '2026-10-02', transaction_item_id: `TI${n}000`, fulfillment_center: 'PHX7' },
      // Clario's own trail: never in a text meant for Amazon.
      sources: [{ file: 'GET_LEDGER_DETAIL_VIEW_DATA.tsv', document_id: 'DOC-1', line: n }],
      ...o.details,
    },
  });
  return id;
}

export async function filing(
  db: Db,
  userId: string,
  o: { claimIds: string[]; status: 'prepared' | 'filed' | 'approved' | 'rejected'; caseId?: string | null; filedAt?: Date | null; channel?: 'manual' | 'simulator'; reopensCaseId?: string },
): Promise<string> {
  n++;
  const id = `fil_r${n}_${Math.random().toString(36).slice(2, 8)}`;
  await db.insert(filings).values({
    id,
    userId,
    channel: o.channel ?? 'manual',
    caseId: o.caseId ?? null,
    status: o.status,
    claimIds: o.claimIds,
    subject: 'Reimbursement request',
    body: 'Hello',
    attachments: [],
    filedOn: '2026-11-01',
    filedAt: o.filedAt ?? null,
    reopensCaseId: o.reopensCaseId ?? null,
  });
  return id;
}

export async function rejection(db: Db, o: { userId: string; claimId: string; caseId: string; at: Date; action?: string; reasonCode?: string; rawText?: string; round?: string }): Promise<void> {
  await db.insert(rejections).values({
    roundKey: o.round ?? '',
    userId: o.userId,
    claimId: o.claimId,
    caseId: o.caseId,
    reasonCode: o.reasonCode ?? 'missing_proof_of_ownership',
    rawText: o.rawText ?? 'Please provide a valid supplier invoice for the units in question.',
    action: o.action ?? 'reprompt',
    at: o.at,
  });
}

/** A reminders loop on `t`'s database whose clock the test sets. */
export function reminderLoop(t: TestClario, o: Partial<ReminderLoopOptions> & { at: () => Date }) {
  return createReminderLoop({
    database: t.clario.database,
    log: t.clario.logger,
    intervalMs: 3_600_000,
    followUpDays: 14,
    reopenNudgeDays: 3,
    afterCommit: () => void t.clario.engine.drainOutbox(),
    ...o,
    now: o.at,
  });
}

export const at = (day: string, hour = 9) => new Date(`${day}T${String(hour).padStart(2, '0')}:00:00Z`);
