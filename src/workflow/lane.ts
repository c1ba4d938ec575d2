import { randomUUID } from 'node:crypto';
import { PHASES, type PhaseNumber } from '../domain/phase.js';

/**
 * The lane is the workflow instance an event belongs to. Phases of one lane never run at the same
 * time: a sync run's phases 1–4 share `sync:<id>`, one claim's phases 5–7 share `claim:<id>`.
 */
export function laneFor(phase: PhaseNumber, ids: { userId: string; syncId?: string | null; claimId?: string | null; caseId?: string | null }): string {
  if (PHASES[phase].scope === 'sync') return ids.syncId ? `sync:${ids.syncId}` : `user:${ids.userId}`;
  if (ids.claimId) return `claim:${ids.claimId}`;
  if (ids.caseId) return `case:${ids.caseId}`;
  return `user:${ids.userId}`;
}

export function newSyncId(): string {
  return `sync_${randomUUID()}`;
}
