/** Where one phase of one workflow stands. */
export type PhaseStatus = 'pending' | 'running' | 'completed' | 'failed';

export const PHASE_STATUSES: readonly PhaseStatus[] = ['pending', 'running', 'completed', 'failed'];

/**
 * The allowed moves. `failed` is parked (dead-lettered): only an explicit replay moves it back to
 * `pending`. `completed` is final.
 */
const ALLOWED: Readonly<Record<PhaseStatus, readonly PhaseStatus[]>> = {
  pending: ['running'],
  running: ['completed', 'pending', 'failed'],
  failed: ['pending'],
  completed: [],
};

export function canTransition(from: PhaseStatus, to: PhaseStatus): boolean {
  return ALLOWED[from].includes(to);
}

/**
 * How an event may begin: stored `pending`, or `running` when the commit that creates it also
 * starts it (a completion handing its next phase to the same worker), one status change recorded
 * once instead of a pending that no one could see followed by running.
 */
export function canCreate(to: PhaseStatus): boolean {
  return to === 'pending' || to === 'running';
}
