// Re-scoring and re-routing a seller's open claims outside a phase (after an upload): compute,
// then write scores, links, moves, prompts and outbox rows in one transaction.
import type { RoutingThresholds } from '../domain/routing.js';
import type { LearnedSource } from '../evidence/match-claims.js';
import type { Db } from '../store/db.js';
import { computeScores, writeScores } from '../evidence/match-claims.js';
import { routeScored, type RoutedClaim } from './route-scored.js';

export async function rescoreAndRoute(
  db: Db,
  o: { userId: string; claimIds?: readonly string[]; learned: LearnedSource; thresholds: RoutingThresholds; now: Date },
): Promise<RoutedClaim[]> {
  return db.transaction(async (tx) => {
    const scored = await computeScores(tx, o);
    await writeScores(tx, scored);
    return routeScored(tx, scored, { thresholds: o.thresholds, eventId: null, syncId: null });
  });
}
