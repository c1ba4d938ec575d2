import { and, eq, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { Db } from './db.js';
import { prompts } from './schema/evidence-tables.js';

export type PromptRow = typeof prompts.$inferSelect;

export interface PromptAsk {
  /** 'confirm' | 'upload_invoice' | 'upload_proof_of_delivery' | 'dismiss', or a capability's own. */
  readonly need: string;
  readonly message: string;
}

/**
 * Opens the smart prompt of a claim, superseding the one that was open (one open prompt per claim,
 * kept by a unique index). Returns the new prompt's id.
 */
export async function openPrompt(q: Db, p: { userId: string; claimId: string; asks: readonly PromptAsk[] }): Promise<string> {
  await q
    .update(prompts)
    .set({ status: 'superseded', answeredAt: sql`now()` })
    .where(and(eq(prompts.claimId, p.claimId), eq(prompts.status, 'open')));
  const id = `prm_${randomUUID()}`;
  await q.insert(prompts).values({ id, userId: p.userId, claimId: p.claimId, status: 'open', asks: p.asks.map((a) => ({ ...a })) });
  return id;
}

/**
 * Why a prompt that is not open cannot be answered, naming the prompt that replaced it: a claim's
 * prompt is superseded when what Clario knows changes (an upload, Amazon's rejection), and the
 * seller answering the old one needs to be told where the question went.
 */
export async function whyNotOpen(q: Db, prompt: PromptRow): Promise<string> {
  if (prompt.status !== 'superseded') return `prompt ${prompt.id} is ${prompt.status}, not open`;
  const now = await openPromptOf(q, prompt.claimId);
  return now
    ? `prompt ${prompt.id} was replaced by prompt ${now.id}; answer that one: ${now.asks.map((a) => (typeof a.message === 'string' ? a.message : '')).join(' ')}`.trim()
    : `prompt ${prompt.id} was replaced, and claim ${prompt.claimId} has no open prompt now`;
}

export async function openPromptOf(q: Db, claimId: string): Promise<PromptRow | undefined> {
  const [row] = await q.select().from(prompts).where(and(eq(prompts.claimId, claimId), eq(prompts.status, 'open')));
  return row;
}
