// A lane (src/workflow/lane.ts) runs its events one at a time, in the workflow's order: by phase
// (phase 2 needs the sync run phase 1 records), then in the order they were stored. A trigger of a
// later phase may be stored first (a webhook before the OAuth callback's phase 1): it does not hold
// the earlier phase, which would wait for it to park. An earlier phase holds a later one even while
// it waits out a retry's backoff (the later one needs what it records); an event of the same phase
// holds only until its first attempt: one retrying does not hold the next of its phase, which may
// be what it waits for (a reversal that arrives before its payout). The runner's acquire and
// dueUnheld (the `postgres` queue's dispatch, the runner's acquireDue) ask laneHolds;
// phase_events_lane_pending (schema/workflow-tables.ts) holds the pending events in LANE_ORDER, so
// the question is an index probe.
import { sql, type SQL } from 'drizzle-orm';

// Phase, then the storing transaction's time, then arrival (seq).
const LANE_ORDER = ['phase', 'created_at', 'seq'] as const;

/** LANE_ORDER's columns of table alias `alias`, for ORDER BY or a row comparison. */
export const laneOrder = (alias: string): string => LANE_ORDER.map((c) => `${alias}.${c}`).join(', ');

/** True while a pending event before the pending event `x` (a table alias) in its lane goes first. */
export function heldByEarlier(x: string): SQL {
  return sql.raw(`EXISTS (SELECT 1 FROM phase_events w WHERE w.lane = ${x}.lane AND w.status = 'pending'
      AND (${laneOrder('w')}) < (${laneOrder(x)}) AND (w.phase < ${x}.phase OR w.attempts = 0))`);
}

/** True while the pending event `x` (a table alias) must wait: another event of its lane runs, or heldByEarlier. */
export function laneHolds(x: string): SQL {
  return sql`(EXISTS (SELECT 1 FROM phase_events r WHERE r.lane = ${sql.raw(x)}.lane AND r.status = 'running') OR ${heldByEarlier(x)})`;
}

/**
 * The ids of pending events that may be handed out now, first due first, at most `limit`, locked
 * for the statement that takes them (another consumer's are skipped): due, not reserved by a
 * consumer (dispatched_until), and not held by their lane, since such an event could only be put
 * off; the worker running the lane takes it when it completes, or a later poll finds it. The
 * `postgres` queue reserves these ids; the runner's acquireDue starts the events.
 */
export function dueUnheld(limit: SQL): SQL {
  return sql`SELECT id FROM phase_events p
      WHERE status = 'pending' AND run_after <= now() AND (dispatched_until IS NULL OR dispatched_until < now())
        AND NOT ${laneHolds('p')}
      ORDER BY run_after, seq LIMIT ${limit}
      FOR UPDATE SKIP LOCKED`;
}
