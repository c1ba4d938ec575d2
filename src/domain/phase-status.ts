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
