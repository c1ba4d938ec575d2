/** The seven phases of a seller's workflow, as the seed documents name them. */
export type PhaseNumber = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export const PHASE_NUMBERS: readonly PhaseNumber[] = [1, 2, 3, 4, 5, 6, 7];

export function isPhaseNumber(value: unknown): value is PhaseNumber {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 7;
}

/**
 * Parses a path parameter strictly: "1".."7" only. "1.5", "01", " 1", "1e0" and "" are refused,
 * so that a typo never lands on a neighbouring phase.
 */
export function parsePhaseNumber(raw: string): PhaseNumber | undefined {
  if (!/^[1-7]$/.test(raw)) return undefined;
  const n = Number(raw);
  return isPhaseNumber(n) ? n : undefined;
}

/** What a phase's workflow instance is about: a sync run of a seller, or one claim. */
export type PhaseScope = 'sync' | 'claim';

export interface PhaseDefinition {
  readonly phase: PhaseNumber;
  /** Stable machine name, used in messages, metrics and the audit log. */
  readonly key: string;
  readonly name: string;
  readonly trigger: string;
  readonly scope: PhaseScope;
  /** The webhook of the second seed document that triggers this phase, if any. */
  readonly webhook?: string;
  /** Phases this one may start when it completes. */
  readonly next: readonly PhaseNumber[];
  /**
   * Stopping an attempt midway loses nothing but the time it ran, so a stopping worker hands it
   * back at once instead of waiting for it. The sync: what it read is stored as it goes (merged
   * idempotently), and a run resumes with the sources it had not finished. Long, so waiting for it
   * only held every stop for SHUTDOWN_TIMEOUT_MS. Not a phase with effects outside Clario.
   */
  readonly interruptible?: true;
}

export const PHASES: Readonly<Record<PhaseNumber, PhaseDefinition>> = {
  1: {
    phase: 1,
    key: 'onboarding',
    name: 'Zero-friction onboarding',
    trigger: 'Amazon OAuth callback completes',
    scope: 'sync',
    next: [2],
    interruptible: true,
  },
  2: {
    phase: 2,
    key: 'discovery',
    name: 'Autonomous money discovery',
    trigger: 'sync completes',
    scope: 'sync',
    webhook: 'sync/complete',
    next: [3],
  },
  3: {
    phase: 3,
    key: 'evidence',
    name: 'Intelligent evidence ecosystem',
    trigger: 'detection completes',
    scope: 'sync',
    webhook: 'detection/complete',
    next: [4],
  },
  4: {
    phase: 4,
    key: 'routing',
    name: 'Predictive refund orchestration',
    trigger: 'evidence matching completes',
    scope: 'sync',
    webhook: 'evidence-matching/complete',
    next: [5],
  },
  5: {
    phase: 5,
    key: 'recovery',
    name: 'Autonomous recovery pipeline',
    trigger: 'a claim is submitted',
    scope: 'claim',
    webhook: 'claim/submitted',
    next: [6, 7],
  },
  6: {
    phase: 6,
    key: 'learning',
    name: 'Continuous learning brain',
    trigger: 'Amazon rejects a claim',
    scope: 'claim',
    webhook: 'claim/rejected',
    next: [],
  },
  7: {
    phase: 7,
    key: 'transparency',
    name: 'Hyper-transparency layer',
    trigger: 'a payout is received',
    scope: 'claim',
    webhook: 'payout/received',
    next: [],
  },
};

export function phaseDefinition(phase: PhaseNumber): PhaseDefinition {
  return PHASES[phase];
}

/** May `to` follow `from` in one workflow? Used to refuse transitions the table does not allow. */
export function canFollow(from: PhaseNumber, to: PhaseNumber): boolean {
  return PHASES[from].next.includes(to);
}
