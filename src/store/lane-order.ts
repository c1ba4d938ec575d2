// A lane (src/workflow/lane.ts) runs its events one at a time, in the workflow's order: by phase
// (phase 2 needs the sync run phase 1 records), then in the order they were stored. A trigger of a
// later phase may be stored first (a webhook before the OAuth callback's phase 1): it does not hold
// the earlier phase, which would wait for it to park. The runner's acquire and the `postgres`
// queue's dispatch both ask laneHolds; phase_events_lane_pending (schema/workflow-tables.ts) holds
// the pending events in LANE_ORDER, so the question is an index probe.
import { sql, type SQL } from 'drizzle-orm';

// Phase, then the storing transaction's time, then arrival (seq).
const LANE_ORDER = ['phase', 'created_at', 'seq'] as const;

/** LANE_ORDER's columns of table alias `alias`, for ORDER BY or a row comparison. */
export const laneOrder = (alias: string): string => LANE_ORDER.map((c) => `${alias}.${c}`).join(', ');

/**
 * True while the pending event `x` (a table alias) must wait: another event of its lane runs, or
 * one before it in LANE_ORDER is pending, even if not due (a retry's backoff): it goes first.
 */
export function laneHolds(x: string): SQL {
  return sql.raw(`(EXISTS (SELECT 1 FROM phase_events r WHERE r.lane = ${x}.lane AND r.status = 'running')
    OR EXISTS (SELECT 1 FROM phase_events w WHERE w.lane = ${x}.lane AND w.status = 'pending' AND (${laneOrder('w')}) < (${laneOrder(x)})))`);
}
