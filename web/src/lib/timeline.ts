// The live timeline's state: where the status endpoint left it, moved on by each WebSocket
// message. Pure, so it is tested without a browser (test/web/timeline.test.ts).
import type { ClarioStatus, PhaseView as StatusPhaseView } from '../../../src/client/types.js';
import type { SocketFrame } from '../../../src/workflow/messages.js';

/** A frame of the seller's WebSocket, as the server types it (src/workflow/messages.ts). */
export type LiveMessage = SocketFrame;

/** A phase as the status endpoint shows it, and what its completion message reported. */
export type PhaseView = StatusPhaseView & { readonly data?: Record<string, unknown> | null };

/** What the page reads of `GET /api/v1/workflow/status/:user_id` (typed by clario/client). */
export type StatusAnswer = Pick<ClarioStatus, 'runs'>;

export interface RunState {
  syncId: string | null;
  createdAt: string | null;
  phases: Record<number, PhaseView>;
  claimPhases: Record<string, Record<string, number>>;
}

export const empty: RunState = { syncId: null, createdAt: null, phases: {}, claimPhases: {} };

export function fromStatus(s: StatusAnswer): RunState {
  const run = s.runs[0];
  if (!run) return empty;
  const phases: Record<number, PhaseView> = {};
  for (const p of run.phases) phases[p.phase] = p;
  return { syncId: run.sync_id, createdAt: run.created_at, phases, claimPhases: run.claim_phases };
}

/** A message moves one sync phase on. Phase 1 of another sync starts a new timeline. */
export function applyMessage(state: RunState, m: LiveMessage): RunState {
  if ((m.type !== 'workflow.phase' && m.type !== 'workflow.progress') || m.phase > 4 || !m.sync_id) return state;
  // A late message of an older sync (a retry) does not take the timeline back.
  if (state.syncId && state.syncId !== m.sync_id && m.phase !== 1) return state;
  const base = state.syncId === m.sync_id ? state : { ...empty, syncId: m.sync_id, createdAt: m.at };
  const prev: PhaseView = base.phases[m.phase] ?? { phase: m.phase, name: m.name, status: null };
  const next: PhaseView =
    m.type === 'workflow.progress'
      ? { ...prev, status: 'running', progress: m.data }
      : {
          ...prev,
          status: m.status,
          attempts: m.attempt,
          last_error: m.data.error ?? (m.status === 'completed' ? null : prev.last_error),
          ...(m.status === 'running' ? { started_at: prev.started_at ?? m.at } : {}),
          ...(m.status === 'completed' ? { completed_at: m.at, data: m.data } : {}),
        };
  return { ...base, phases: { ...base.phases, [m.phase]: next } };
}

export function progressOf(p: Record<string, unknown> | null | undefined): { done: number; total: number; what: string } | null {
  if (!p) return null;
  for (const [k, v] of Object.entries(p)) {
    if (!k.endsWith('_done') || typeof v !== 'number') continue;
    const stem = k.slice(0, -'_done'.length);
    const total = p[`${stem}_total`];
    if (typeof total === 'number' && total > 0) return { done: v, total, what: stem.replace(/_/g, ' ') };
  }
  return null;
}

/**
 * The words beside a phase's progress bar: "sources: 6 of 10 · 251 rows in the last one". The sync
 * reports `rows` per source (the one it just finished, src/sync/sync-seller.ts), not a running
 * total, so it is said of the last source, never as if the sync had read only that many so far.
 */
export function progressText(p: Record<string, unknown> | null | undefined): string | null {
  const prog = progressOf(p);
  if (!prog) return null;
  const rows = p?.rows;
  const last = typeof rows === 'number' && prog.done > 0 ? ` · ${rows.toLocaleString()} ${rows === 1 ? 'row' : 'rows'} in the last one` : '';
  return `${prog.what}: ${prog.done} of ${prog.total}${last}`;
}
