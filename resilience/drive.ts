// The scenarios' side of the world: sellers connecting (phase 1) and Amazon answering each filed
// case (the claims channel's "submitted", phase 5, then the payout, phase 7), sent through the
// typed client with its retries, as the real callers do. `check` then reads the database and the
// providers and turns them into the figures every workload scenario reports.
import { sql } from 'drizzle-orm';
import { createClarioClient, type ClarioClient } from '../src/client/index.js';
import { type Db, rows } from '../src/store/db.js';
import { duplicates, type FiledCase, type Providers } from './providers.js';

export interface Driver {
  readonly client: ClarioClient;
  /** Triggers sent, by outcome. */
  readonly sent: { accepted: number; duplicate: number; failed: number; errors: string[] };
  connect(userIds: readonly string[]): Promise<void>;
  /** Resolves once every trigger sent so far has been answered. */
  settle(): Promise<void>;
}

export interface DriverOptions {
  readonly url: string;
  readonly token: string;
  readonly providers: Providers;
  /** Send each trigger this many times at once, and phase 7 before phase 5 (the duplicate storm). */
  readonly copies?: number;
  /** More patience for the restart scenarios, where the API itself is down for a while. */
  readonly retries?: number;
}

export const sellerId = (i: number) => `rs-${i}`;
export const syncIdOf = (userId: string) => `run-${userId}`;

export function startDriver(options: DriverOptions): Driver {
  const client = createClarioClient({ baseUrl: options.url, token: options.token, retries: options.retries ?? 8, backoff: { baseMs: 100, maxMs: 3000 } });
  const copies = options.copies ?? 1;
  const sent = { accepted: 0, duplicate: 0, failed: 0, errors: [] as string[] };
  const inFlight = new Set<Promise<void>>();
  const track = (p: Promise<unknown>) => {
    const done: Promise<void> = p.then(
      (r) => void ((r as { duplicate: boolean }).duplicate ? sent.duplicate++ : sent.accepted++),
      (err: unknown) => {
        sent.failed++;
        if (sent.errors.length < 20) sent.errors.push(String(err));
      },
    ).finally(() => inFlight.delete(done));
    inFlight.add(done);
    return done;
  };
  const times = (f: () => Promise<unknown>) => Array.from({ length: copies }, () => track(f()));

  options.providers.cases.onFiled((c: FiledCase) => {
    // Amazon's answers come out of order under a storm: the payout before the submission.
    const submitted = () => client.claimSubmitted({ user_id: c.userId, claim_id: c.claimId, case_id: c.caseId }, { idempotencyKey: `submitted-${c.caseId}` });
    const paid = () =>
      client.payoutReceived(
        { user_id: c.userId, claim_id: c.claimId, case_id: c.caseId, payout_id: `pay-${c.claimId}`, amount_minor: c.amountMinor, currency: c.currency },
        { idempotencyKey: `payout-${c.claimId}` },
      );
    if (copies > 1) void Promise.all([...times(paid), ...times(submitted)]);
    else void track(submitted()).then(() => track(paid()));
  });

  return {
    client,
    sent,
    async connect(userIds) {
      const batch = 50;
      for (let i = 0; i < userIds.length; i += batch) {
        await Promise.all(
          userIds.slice(i, i + batch).flatMap((u) => {
            options.providers.cases.addSeller(u);
            const body = { user_id: u, seller_id: `A${u.toUpperCase()}`, sync_id: syncIdOf(u) };
            const first = times(() => client.triggerPhase(1, body, { idempotencyKey: `oauth-${u}` }));
            // Under a storm the webhooks of phases 2–4 arrive too, duplicated, maybe before phase 1 ran.
            if (copies === 1) return first;
            const hooks = [
              () => client.syncComplete({ user_id: u, sync_id: syncIdOf(u) }, { idempotencyKey: `sync-${u}` }),
              () => client.detectionComplete({ user_id: u, sync_id: syncIdOf(u) }, { idempotencyKey: `detection-${u}` }),
            ];
            return [...first, ...hooks.flatMap((h) => times(h))];
          }),
        );
      }
    },
    async settle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}

export interface Figures {
  readonly workflows: number;
  readonly workflows_completed: number;
  readonly events: Record<string, number>;
  /** Expected transitions that never happened: a seller's phase never completed, or an audit trail with a gap. */
  readonly transitions_lost: number;
  readonly lost_detail: { phases_missing: number; events_not_completed: number; audit_gaps: number };
  readonly cases_filed: number;
  readonly fees_charged: number;
  readonly effects_duplicated: { cases: number; fees: number };
  /** Phase 6/7 events that arrived before their claim was filed and waited for it. */
  readonly early_events_waited: number;
  /** Events that did not complete, by phase, status and last error code. */
  readonly not_completed: Record<string, number>;
  /** When something did not complete: what the database's sessions were doing, to see where it hangs. */
  readonly sessions?: Array<Record<string, unknown>>;
}

/** Reads where every seller's workflow ended, and what the providers saw. */
export async function check(db: Db, providers: Providers, userIds: readonly string[], claimsPerRun = 1): Promise<Figures> {
  const users = sql.join(userIds.map((u) => sql`${u}`), sql`, `);
  const statuses = await rows<{ status: string; n: string }>(db, sql`SELECT status, count(*) AS n FROM phase_events WHERE user_id IN (${users}) GROUP BY status`);
  const events = Object.fromEntries(statuses.map((r) => [r.status, Number(r.n)]));
  // Each seller: phases 1–4 once for its run, phases 5 and 7 for each claim, all completed.
  const done = await rows<{ user_id: string; phase: number; n: string }>(db, sql`SELECT user_id, phase, count(DISTINCT coalesce(claim_id, sync_id)) AS n
      FROM phase_events WHERE user_id IN (${users}) AND status = 'completed' GROUP BY user_id, phase`);
  const byUser = new Map<string, Map<number, number>>();
  for (const r of done) {
    const m = byUser.get(r.user_id) ?? new Map<number, number>();
    m.set(Number(r.phase), Number(r.n));
    byUser.set(r.user_id, m);
  }
  const expected: Record<number, number> = { 1: 1, 2: 1, 3: 1, 4: 1, 5: claimsPerRun, 7: claimsPerRun };
  let phasesMissing = 0;
  let completed = 0;
  for (const u of userIds) {
    const m = byUser.get(u);
    let missing = 0;
    for (const [phase, n] of Object.entries(expected)) missing += Math.max(0, n - (m?.get(Number(phase)) ?? 0));
    phasesMissing += missing;
    if (missing === 0) completed++;
  }
  // The audit trail of every event: each row starts where the last one ended, the last is the event's status.
  const [gaps] = await rows<{ n: string }>(db, sql`WITH a AS (
      SELECT event_id, from_status, to_status, lag(to_status) OVER (PARTITION BY event_id ORDER BY id) AS prev,
             row_number() OVER (PARTITION BY event_id ORDER BY id DESC) AS rn
      FROM phase_audit WHERE user_id IN (${users}))
    SELECT count(DISTINCT e.id) AS n FROM phase_events e LEFT JOIN a ON a.event_id = e.id
    WHERE e.user_id IN (${users}) AND (a.event_id IS NULL
      OR (a.from_status IS DISTINCT FROM a.prev)
      OR (a.rn = 1 AND a.to_status <> e.status))`);
  const [early] = await rows<{ n: string }>(db, sql`SELECT count(DISTINCT event_id) AS n FROM phase_audit
      WHERE user_id IN (${users}) AND phase IN (6, 7) AND error->>'code' = 'claim_not_filed'`);
  // A running event whose lease expired has lost its worker and waits for a sweep; one whose lease
  // is current is held by a live worker that has not finished it.
  const stuck = await rows<{ phase: number; status: string; code: string | null; n: string }>(db, sql`SELECT phase,
        status || CASE WHEN status = 'running' THEN CASE WHEN locked_until < now() THEN ', lease expired' ELSE ', lease held' END ELSE '' END AS status,
        last_error->>'code' AS code, count(*) AS n
      FROM phase_events WHERE user_id IN (${users}) AND status <> 'completed' GROUP BY 1, 2, 3`);
  const notCompleted = Object.entries(events).filter(([s]) => s !== 'completed').reduce((a, [, n]) => a + n, 0);
  const auditGaps = Number(gaps?.n ?? 0);
  return {
    workflows: userIds.length,
    workflows_completed: completed,
    events,
    transitions_lost: phasesMissing + notCompleted + auditGaps,
    lost_detail: { phases_missing: phasesMissing, events_not_completed: notCompleted, audit_gaps: auditGaps },
    cases_filed: providers.cases.created.size,
    fees_charged: providers.fees.effects.size,
    effects_duplicated: { cases: duplicates(providers.cases.created), fees: duplicates(providers.fees.effects) },
    early_events_waited: Number(early?.n ?? 0),
    ...(stuck.length > 0
      ? { sessions: await rows<Record<string, unknown>>(db, sql`SELECT state, wait_event_type, wait_event, now() - xact_start AS in_transaction_for, left(query, 120) AS query
            FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`) }
      : {}),
    not_completed: Object.fromEntries(stuck.map((r) => [`phase ${r.phase} ${r.status}${r.code ? ` (${r.code})` : ''}`, Number(r.n)])),
  };
}

/**
 * Polls until every seller's workflow completed and nothing of theirs is still pending or running
 * (an early or repeated trigger waiting for its retry), or `deadline` passes; false on timeout.
 */
export async function waitForWorkflows(db: Db, userIds: readonly string[], claimsPerRun: number, deadline: number): Promise<boolean> {
  const users = sql.join(userIds.map((u) => sql`${u}`), sql`, `);
  for (;;) {
    const [r] = await rows<{ paid: string; open: string }>(
      db,
      sql`SELECT count(*) FILTER (WHERE phase = 7 AND status = 'completed') AS paid,
          count(*) FILTER (WHERE status IN ('pending', 'running')) AS open FROM phase_events WHERE user_id IN (${users})`)
      .catch(() => [{ paid: '-1', open: '-1' }]);
    if (Number(r?.paid) >= userIds.length * claimsPerRun && Number(r?.open) === 0) return true;
    if (Date.now() > deadline) return false;
    await new Promise((res) => setTimeout(res, 250));
  }
}
