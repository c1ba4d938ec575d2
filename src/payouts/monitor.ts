// The payout monitor: a loop that, each round, credits the reimbursement lines syncs brought in
// (and re-examines lines stored before their case id was recorded: a manual-channel seller may
// record it after Amazon paid) and polls open cases on the simulator channel. Cases that have
// waited too long for Amazon are the reminders loop's (src/reminders/).
import { and, eq, sql } from 'drizzle-orm';
import { type Database, rows } from '../store/db.js';
import { filings } from '../store/schema/filing-tables.js';
import { reimbursements } from '../store/schema/payouts-tables.js';
import type { Engine } from '../workflow/engine.js';
import type { Log } from '../workflow/log.js';
import { pollingLoop } from '../workflow/polling.js';
import type { ClaimsChannel } from '../filing/channel.js';
import { creditLine, type Credit } from './credit-payouts.js';
import { newReimbursementLines, usersWithNewLines } from './new-lines.js';
import { pollOpenCases } from './watch-cases.js';

export interface MonitorOptions {
  readonly database: Database;
  readonly engine: Engine;
  readonly channel: ClaimsChannel;
  readonly intervalMs: number;
  readonly log: Log;
}

export interface MonitorRound {
  readonly credits: Credit[];
  readonly problems: number;
  readonly checked: number;
  readonly rejected: number;
}

export interface PayoutMonitor {
  /** Credits one seller's new reimbursement lines (call it after a sync completes). */
  afterSync(userId: string): Promise<{ credits: Credit[]; problems: number }>;
  runOnce(): Promise<MonitorRound>;
  nudge(): void;
  start(): void;
  stop(): Promise<void>;
}

export function createPayoutMonitor(options: MonitorOptions): PayoutMonitor {
  const db = options.database.db;

  async function afterSync(userId: string) {
    const credits: Credit[] = [];
    let problems = 0;
    for (;;) {
      const batch = await newReimbursementLines(options.database.db, userId);
      problems += batch.problems.length;
      for (const line of batch.lines) credits.push(await creditLine({ db, engine: options.engine }, userId, line));
      if (batch.lines.length === 0) break;
    }
    if (problems > 0) options.log.error({ userId, problems }, 'reimbursement lines could not be read');
    return { credits, problems };
  }

  /** Lines stored unattributed whose case id has since become one of ours. */
  async function recheck(): Promise<Credit[]> {
    const stale = await db
      .select({ r: reimbursements })
      .from(reimbursements)
      .innerJoin(filings, and(eq(filings.caseId, reimbursements.caseId), eq(filings.userId, reimbursements.userId)))
      .where(eq(reimbursements.attributed, false))
      .limit(500);
    const credits: Credit[] = [];
    for (const { r } of stale) {
      const raw = { ...(r.raw ?? {}) } as Record<string, unknown>;
      const lineSeq = typeof raw.line_seq === 'number' ? raw.line_seq : null;
      delete raw.line_seq;
      credits.push(
        await creditLine({ db, engine: options.engine }, r.userId, {
          reimbursementId: r.reimbursementId,
          caseId: r.caseId,
          orderId: r.lineKey.split('|')[2] || null,
          shipmentId: typeof raw['shipment-id'] === 'string' && raw['shipment-id'] ? raw['shipment-id'] : null,
          transactionItemId: typeof raw['transaction-item-id'] === 'string' && raw['transaction-item-id'] ? raw['transaction-item-id'] : null,
          reason: r.reason,
          sku: r.sku,
          fnsku: r.fnsku,
          quantity: r.quantity,
          amountMinor: r.amountMinor,
          currency: r.currency,
          approvalDate: r.approvalDate,
          originalReimbursementId: r.originalReimbursementId,
          lineSeq,
          raw: raw as Record<string, string>,
        }),
      );
    }
    return credits;
  }

  async function runOnce(): Promise<MonitorRound> {
    const credits: Credit[] = [];
    let problems = 0;
    for (const userId of await usersWithNewLines(options.database.db)) {
      const r = await afterSync(userId);
      credits.push(...r.credits);
      problems += r.problems;
    }
    credits.push(...(await recheck()));
    const polled = await pollOpenCases({ db, engine: options.engine, channel: options.channel, log: options.log, signal: loop.signal });
    credits.push(...polled.credits);
    return { credits, problems, checked: polled.checked, rejected: polled.rejected };
  }

  const loop = pollingLoop(runOnce, { intervalMs: options.intervalMs, onError: (err) => options.log.error({ err }, 'payout monitoring round failed') });
  return { afterSync, runOnce, nudge: () => loop.nudge(), start: () => loop.start(), stop: () => loop.stop() };
}

/** How many attributed payouts a seller has had, for logs and tests. */
export async function attributedCount(database: Database, userId: string): Promise<number> {
  const [row] = await rows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM reimbursements WHERE user_id = ${userId} AND attributed`);
  return Number(row?.n ?? 0);
}
