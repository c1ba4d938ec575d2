// A seller answers a smart prompt: confirm, upload (link evidence files), or dismiss. Confirm and
// upload re-score and re-route the claim in the same transaction as the answer, so an answer is
// never recorded without its effect. A prompt is answered once: a second answer is a conflict.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { canMoveClaim } from '../domain/claim-status.js';
import type { LearnedSource } from '../evidence/match-claims.js';
import type { RoutingThresholds } from '../domain/routing.js';
import { findClaim, moveClaim, type ClaimRow } from '../store/claim-rows.js';
import type { Db } from '../store/db.js';
import { whyNotOpen, type PromptRow } from '../store/prompt-rows.js';
import { evidenceFiles, prompts } from '../store/schema/evidence-tables.js';
import { publish } from '../workflow/publish.js';
import { computeScores, linkFiles, scorableOf, writeScores } from '../evidence/match-claims.js';
import { routeScored } from './route-scored.js';

export type PromptAction = 'confirm' | 'upload' | 'dismiss';

export type AnswerOutcome =
  | { readonly ok: true; readonly prompt: PromptRow; readonly claim: ClaimRow }
  | { readonly ok: false; readonly code: 'not_found' | 'conflict'; readonly message: string };

export async function answerPrompt(
  db: Db,
  o: { promptId: string; userId: string; action: PromptAction; fileIds: readonly string[]; note: string | undefined; learned: LearnedSource; thresholds: RoutingThresholds; now: Date },
): Promise<AnswerOutcome> {
  return db.transaction(async (tx): Promise<AnswerOutcome> => {
    const [prompt] = await tx.select().from(prompts).where(and(eq(prompts.id, o.promptId), eq(prompts.userId, o.userId)));
    if (!prompt) return { ok: false, code: 'not_found', message: `no prompt ${o.promptId}` };
    if (prompt.status !== 'open') return { ok: false, code: 'conflict', message: await whyNotOpen(tx, prompt) };
    const claim = await findClaim(tx, prompt.claimId);
    if (!claim) return { ok: false, code: 'not_found', message: `the claim of prompt ${o.promptId} is gone` };
    const files = o.fileIds.length
      ? await tx.select().from(evidenceFiles).where(and(eq(evidenceFiles.userId, o.userId), inArray(evidenceFiles.id, [...o.fileIds])))
      : [];
    // Another seller's file is reported exactly like one that does not exist.
    const unknown = o.fileIds.filter((id) => !files.some((f) => f.id === id));
    if (unknown.length) return { ok: false, code: 'not_found', message: `no evidence file ${unknown.join(', ')}` };
    if (o.action === 'dismiss' && !canMoveClaim(claim.status, 'dismissed')) {
      return { ok: false, code: 'conflict', message: `claim ${claim.id} is ${claim.status} and cannot be dismissed` };
    }
    const answer = { action: o.action, ...(o.fileIds.length ? { file_ids: [...o.fileIds] } : {}), ...(o.note ? { note: o.note } : {}) };
    const [answered] = await tx
      .update(prompts)
      .set({ status: o.action === 'dismiss' ? 'dismissed' : 'answered', answer, answeredAt: sql`now()` })
      .where(and(eq(prompts.id, prompt.id), eq(prompts.status, 'open')))
      .returning();
    if (!answered) return { ok: false, code: 'conflict', message: `prompt ${o.promptId} was answered meanwhile` };
    await publish(tx, { type: 'prompt.answered', prompt_id: prompt.id, claim_id: claim.id, user_id: o.userId, action: o.action, file_ids: [...o.fileIds], at: o.now.toISOString() });
    if (o.action === 'dismiss') {
      if (!(await moveClaim(tx, claim.id, claim.status, 'dismissed'))) return { ok: false, code: 'conflict', message: `claim ${claim.id} moved meanwhile` };
    } else {
      if (files.length) await linkFiles(tx, { ...scorableOf(claim), userId: o.userId }, files);
      const scored = await computeScores(tx, { userId: o.userId, claimIds: [claim.id], learned: o.learned, now: o.now });
      await writeScores(tx, scored);
      await routeScored(tx, scored, { thresholds: o.thresholds, eventId: null, syncId: claim.syncId });
    }
    return { ok: true, prompt: answered, claim: (await findClaim(tx, claim.id))! };
  });
}
