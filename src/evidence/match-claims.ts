// Matching and scoring over the database: links a seller's evidence items to their open claims
// (by SKU, FNSKU or ASIN, else a product name that names one of them; a proof of delivery also by
// its shipment id), then scores each claim with the pure scorer. Reading and writing are separate
// so a phase can compute outside its transaction and write in its commit (`apply`).
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { ClaimStatus } from '../domain/claim-status.js';
import { holdOf } from '../domain/filing-holds.js';
import { currency as toCurrency, isCurrency, type Money } from '../domain/money.js';
import type { ApprovalEstimate, EvidenceProfile, LearnedRates } from '../domain/scoring.js';
import type { ClaimRow } from '../store/claim-rows.js';
import type { Db } from '../store/db.js';
import { claims } from '../store/schema/claims-tables.js';
import { claimEvidence, evidenceFiles, evidenceItems, prompts } from '../store/schema/evidence-tables.js';
import { dedupeLines, unitsByFile } from './dedupe-lines.js';
import { profileFor, scoreClaim, type EvidenceLine, type EvidenceRole, type EvidenceScore, type LinkedEvidence, type ScorableClaim } from './score-claim.js';

/** Claims that evidence can still change: not filed, paid, expired or dismissed. */

/**
 * How to read the learning model through a given connection: scoring inside a transaction must
 * read it through that transaction (PGlite has a single connection, and a read on another would
 * wait for the transaction for ever).
 */
export type LearnedSource = (q: Db) => LearnedRates;

export const OPEN_STATUSES: readonly ClaimStatus[] = ['detected', 'prompted', 'held', 'ready'];

/** The learning port before the learning capability lands: no opinion. */
export const NO_LEARNING: LearnedSource = () => ({ estimate: () => Promise.resolve(undefined) });

export interface Link {
  readonly fileId: string;
  readonly role: EvidenceRole;
  readonly itemIds: readonly number[];
  readonly units: number;
}

export interface ScoredClaim {
  readonly id: string;
  readonly userId: string;
  /** The status seen when scoring; writes and moves compare against it. */
  readonly status: ClaimStatus;
  readonly claim: ScorableClaim;
  readonly score: EvidenceScore;
  readonly links: readonly Link[];
}

const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);
const norm = (s: string) => s.trim().toLowerCase();

export function scorableOf(row: ClaimRow): ScorableClaim {
  const d = row.details ?? {};
  const key = (d.key && typeof d.key === 'object' ? d.key : {}) as Record<string, string>;
  const amount: Money | null = row.amountMinor !== null && row.currency && isCurrency(row.currency) ? { minor: row.amountMinor, currency: toCurrency(row.currency) } : null;
  return {
    id: row.id,
    type: row.type,
    sku: str(d.sku) ?? str(key.sku),
    fnsku: str(d.fnsku) ?? str(key.fnsku),
    asin: str(d.asin),
    quantity: row.quantity ?? 0,
    amount,
    deadline: row.deadline,
    key,
    valuation: str(d.valuation),
    awaitingAmazon: d.detection_status === 'pending',
    hold: holdOf(d)?.code ?? null,
  };
}

function lineOf(i: typeof evidenceItems.$inferSelect): EvidenceLine {
  return {
    id: i.id,
    lineNo: i.lineNo,
    documentRef: i.documentRef,
    supplier: i.supplier,
    sku: i.sku,
    productName: i.productName,
    quantity: i.quantity,
    unitCost: i.unitCostMinor !== null && i.currency && isCurrency(i.currency) ? { minor: i.unitCostMinor, currency: i.currency } : null,
    date: i.date,
  };
}

/** Whether an item speaks of the claim's product: its SKU (or FNSKU, ASIN), or a product name containing one as a word. */
export function itemMatches(claim: ScorableClaim, item: EvidenceLine & { raw?: unknown }, role: EvidenceRole): boolean {
  const ids = [claim.sku, claim.fnsku, claim.asin].filter((x): x is string => Boolean(x)).map(norm);
  if (item.sku && ids.includes(norm(item.sku))) return true;
  if (item.productName) {
    const words = new Set(item.productName.toLowerCase().split(/[^a-z0-9._-]+/));
    if (ids.some((id) => words.has(id))) return true;
  }
  const shipment = claim.key.shipment_id;
  if (role === 'proof_of_delivery' && shipment) {
    const raw = (item.raw ?? {}) as Record<string, unknown>;
    return item.documentRef === shipment || raw.shipment_id === shipment || Object.values(raw).some((v) => typeof v === 'string' && v.includes(shipment));
  }
  return false;
}

type ItemRow = typeof evidenceItems.$inferSelect;

const byUpload = (a: { createdAt: Date } | undefined, b: { createdAt: Date } | undefined) => (a?.createdAt.getTime() ?? 0) - (b?.createdAt.getTime() ?? 0);

/**
 * Items by every word that could tie them to a claim (SKU, product-name words, references and
 * shipment ids), so each claim looks only at its candidates; itemMatches still decides.
 */
function indexItems(items: readonly ItemRow[]): Map<string, ItemRow[]> {
  const index = new Map<string, ItemRow[]>();
  const add = (k: string, i: ItemRow) => {
    const list = index.get(k);
    if (!list) index.set(k, [i]);
    else if (list[list.length - 1] !== i) list.push(i);
  };
  for (const i of items) {
    if (i.sku) add(norm(i.sku), i);
    const texts = [i.productName, i.documentRef, ...Object.values(i.raw ?? {}).filter((v): v is string => typeof v === 'string')];
    for (const t of texts) for (const w of (t ?? '').toLowerCase().split(/[^a-z0-9._-]+/)) if (w) add(w, i);
  }
  return index;
}

/**
 * Scores the seller's open claims (all, or `claimIds`) against their evidence, without writing.
 * `onProgress` is told every 100 claims.
 */
export async function computeScores(
  q: Db,
  o: { userId: string; claimIds?: readonly string[]; learned: LearnedSource; now: Date; onProgress?: (done: number, total: number) => Promise<void> },
): Promise<ScoredClaim[]> {
  if (o.claimIds && o.claimIds.length === 0) return [];
  const model = o.learned(q);
  // One read per claim type and evidence profile, not one per claim: a round asks for few pairs.
  const asked = new Map<string, Promise<ApprovalEstimate | undefined>>();
  const estimate = (type: string, profile: EvidenceProfile) => {
    const key = `${type}\u0000${profile}`;
    let e = asked.get(key);
    if (!e) asked.set(key, (e = model.estimate(type, profile)));
    return e;
  };
  const rows = await q
    .select()
    .from(claims)
    .where(and(eq(claims.userId, o.userId), inArray(claims.status, [...OPEN_STATUSES]), o.claimIds ? inArray(claims.id, [...o.claimIds]) : undefined))
    .orderBy(claims.deadline, claims.id);
  if (rows.length === 0) return [];
  const files = new Map((await q.select().from(evidenceFiles).where(eq(evidenceFiles.userId, o.userId))).map((f) => [f.id, f]));
  // Only the items of a stored file: an upload writes its items before its file row (store-evidence.ts).
  const items = (await q.select().from(evidenceItems).where(eq(evidenceItems.userId, o.userId))).filter((i) => files.has(i.fileId));
  const itemById = new Map(items.map((i) => [i.id, i]));
  const index = indexItems(items);
  const ids = rows.map((r) => r.id);
  const existing = await q.select().from(claimEvidence).where(and(eq(claimEvidence.userId, o.userId), inArray(claimEvidence.claimId, ids)));
  const confirmed = new Set(
    (
      await q
        .select({ claimId: prompts.claimId })
        .from(prompts)
        .where(and(eq(prompts.userId, o.userId), inArray(prompts.claimId, ids), eq(prompts.status, 'answered'), sql`${prompts.answer}->>'action' = 'confirm'`))
    ).map((r) => r.claimId),
  );
  const out: ScoredClaim[] = [];
  const scoredAt = o.now.toISOString();
  for (const [n, row] of rows.entries()) {
    const claim = scorableOf(row);
    // Links the seller made (or earlier matches) stay; new matches add to them.
    const byFile = new Map<string, Set<number>>();
    for (const l of existing.filter((e) => e.claimId === row.id)) byFile.set(l.fileId, new Set(l.itemIds));
    const keys = [claim.sku, claim.fnsku, claim.asin, claim.key.shipment_id].filter((x): x is string => Boolean(x)).map(norm);
    for (const i of new Set(keys.flatMap((k) => index.get(k) ?? []))) {
      const file = files.get(i.fileId);
      if (!file || file.kind === 'other') continue;
      if (itemMatches(claim, { ...lineOf(i), raw: i.raw }, file.kind)) byFile.set(i.fileId, (byFile.get(i.fileId) ?? new Set()).add(i.id));
    }
    const linked: LinkedEvidence[] = [];
    // Oldest upload first: of two files proving the same lines (an invoice uploaded twice), the
    // first upload is the one counted and the later one repeats it.
    for (const [fileId, set] of [...byFile.entries()].sort(([a], [b]) => byUpload(files.get(a), files.get(b)) || (a < b ? -1 : 1))) {
      const file = files.get(fileId);
      if (!file) continue;
      const lines = [...set].sort((a, b) => a - b).map((id) => itemById.get(id)).filter((i) => i !== undefined).map(lineOf);
      linked.push({ fileId, filename: file.filename, role: file.kind, items: lines });
    }
    // An invoice file's units are the ones counted from it (dedupe-lines.ts): a copy's are 0, and
    // the files' units add up to what the claim's evidence proves.
    const proven = unitsByFile(dedupeLines(linked.filter((l) => l.role === 'invoice')));
    const links: Link[] = linked.map((l) => ({
      fileId: l.fileId,
      role: l.role,
      itemIds: l.items.map((i) => i.id),
      units: l.role === 'invoice' ? (proven.get(l.fileId) ?? 0) : l.items.reduce((s, i) => s + (i.quantity ?? 0), 0),
    }));
    const evidence = { links: linked, confirmed: confirmed.has(row.id) };
    const learned = await estimate(row.type, profileFor(evidence));
    out.push({ id: row.id, userId: row.userId, status: row.status, claim, score: scoreClaim(claim, evidence, learned, scoredAt), links });
    if (o.onProgress && ((n + 1) % 100 === 0 || n + 1 === rows.length)) await o.onProgress(n + 1, rows.length);
  }
  return out;
}

/** Writes links, confidences and scores; a claim that left the status it was scored in is left alone. */
export async function writeScores(tx: Db, scored: readonly ScoredClaim[]): Promise<void> {
  for (const s of scored) {
    const updated = await tx
      .update(claims)
      .set({ confidence: s.score.confidence, score: { ...s.score }, updatedAt: sql`now()` })
      .where(and(eq(claims.id, s.id), eq(claims.status, s.status)))
      .returning({ id: claims.id });
    if (updated.length === 0) continue;
    for (const l of s.links) {
      await tx
        .insert(claimEvidence)
        .values({ claimId: s.id, fileId: l.fileId, userId: s.userId, role: l.role, itemIds: [...l.itemIds], units: l.units })
        .onConflictDoUpdate({ target: [claimEvidence.claimId, claimEvidence.fileId], set: { itemIds: [...l.itemIds], units: l.units, role: l.role } });
    }
  }
}

/** Links evidence files to a claim at the seller's word (a prompt answered by upload). */
export async function linkFiles(tx: Db, claim: ScorableClaim & { userId: string }, files: ReadonlyArray<typeof evidenceFiles.$inferSelect>): Promise<void> {
  for (const f of files) {
    const items = (await tx.select().from(evidenceItems).where(eq(evidenceItems.fileId, f.id))).map((i) => ({ line: lineOf(i), raw: i.raw }));
    const role: EvidenceRole = f.kind;
    // The items that name the claim's product; a file that names none (an invoice by description
    // only, a delivery note) counts whole: the seller said it belongs to this claim.
    const matching = items.filter((i) => itemMatches(claim, { ...i.line, raw: i.raw }, role));
    const chosen = matching.length > 0 ? matching : items.filter((i) => !i.line.sku || role === 'proof_of_delivery');
    const itemIds = chosen.map((i) => i.line.id);
    await tx
      .insert(claimEvidence)
      .values({ claimId: claim.id, fileId: f.id, userId: claim.userId, role, itemIds, units: chosen.reduce((s, i) => s + (i.line.quantity ?? 0), 0) })
      .onConflictDoUpdate({ target: [claimEvidence.claimId, claimEvidence.fileId], set: { itemIds, role } });
  }
}
