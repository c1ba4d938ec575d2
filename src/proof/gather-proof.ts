// Everything a proof packet shows, read through one Db (phase 7 passes its transaction, so
// the packet sees the payout and fee it is committing). No formatting here: plain data.
import { and, asc, desc, eq, inArray, isNotNull, isNull, or, type SQL } from 'drizzle-orm';
import { fieldSeparator } from '../filing/report-lines-csv.js';
import type { Db } from '../store/db.js';
import { feeCharges } from '../store/schema/billing-tables.js';
import { claims } from '../store/schema/claims-tables.js';
import { claimEvidence, evidenceFiles, evidenceItems } from '../store/schema/evidence-tables.js';
import { reimbursements } from '../store/schema/payouts-tables.js';
import { reportLines, syncSources } from '../store/schema/sync-tables.js';
import { phaseAudit } from '../store/schema/workflow-tables.js';

export type ClaimRow = typeof claims.$inferSelect;

export interface SourceLine {
  readonly file: string;
  readonly documentId: string | null;
  readonly line: number | null;
  readonly syncId: string | null;
  /** The line as Amazon sent it; null when it is not stored (a file-based detection run). */
  readonly text: string | null;
  readonly header: string | null;
}

export interface EvidenceView {
  readonly file: typeof evidenceFiles.$inferSelect;
  readonly role: string;
  readonly units: number | null;
  readonly items: ReadonlyArray<typeof evidenceItems.$inferSelect>;
}

export interface ProofData {
  readonly claim: ClaimRow;
  readonly payoutId: string;
  readonly lines: readonly SourceLine[];
  readonly evidence: readonly EvidenceView[];
  readonly timeline: ReadonlyArray<typeof phaseAudit.$inferSelect>;
  readonly reimbursements: ReadonlyArray<typeof reimbursements.$inferSelect>;
  readonly fees: ReadonlyArray<typeof feeCharges.$inferSelect>;
  /** The packet's date: the newest moment in the data, so the same data gives the same bytes. */
  readonly asOf: Date;
}

export class ProofUnavailableError extends Error {
  override readonly name = 'ProofUnavailableError';
}

interface SourceRef {
  file: string;
  document_id?: string;
  line?: number;
  sync_id?: string;
  seq?: number;
}

function sourcesOf(details: Record<string, unknown> | null): SourceRef[] {
  const raw = details?.sources;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((s: unknown) => {
    if (!s || typeof s !== 'object') return [];
    const r = s as Record<string, unknown>;
    if (typeof r.file !== 'string') return [];
    return [
      {
        file: r.file,
        ...(typeof r.document_id === 'string' ? { document_id: r.document_id } : {}),
        ...(typeof r.line === 'number' ? { line: r.line } : {}),
        ...(typeof r.sync_id === 'string' ? { sync_id: r.sync_id } : {}),
        ...(Number.isSafeInteger(r.seq) && (r.seq as number) > 0 ? { seq: r.seq as number } : {}),
      },
    ];
  });
}

const lineKey = (documentId: string | undefined, line: number | undefined) => `${documentId ?? ''}\u0000${line ?? ''}`;

/**
 * The stored text of cited lines, by document and line number. A line cited with its `seq` (as
 * detection now records it) is read by seller, source and seq, which report_lines' index answers;
 * an older citation has only its document and line, which no index covers, so those read all the
 * seller's lines. Either way the stored line must still be the cited document's line: a line a
 * later report restated (a keyed line, store-lines.ts) is not shown under the old document's name.
 */
async function storedText(q: Db, userId: string, refs: readonly SourceRef[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  // The seller's lines that match `where`, kept where they are still a cited document's line.
  const read = async (cited: readonly SourceRef[], ...where: SQL[]) => {
    if (cited.length === 0) return;
    const wanted = new Set(cited.map((r) => lineKey(r.document_id, r.line)));
    const stored = await q
      .select({ documentId: reportLines.documentId, lineNo: reportLines.lineNo, line: reportLines.line })
      .from(reportLines)
      .where(and(eq(reportLines.userId, userId), ...where))
      .orderBy(asc(reportLines.seq));
    for (const s of stored) {
      const key = lineKey(s.documentId, s.lineNo);
      if (wanted.has(key) && !found.has(key)) found.set(key, s.line);
    }
  };
  const cited = refs.filter((r) => r.document_id !== undefined && r.line !== undefined);
  const bySeq = cited.filter((r) => r.seq !== undefined);
  const older = cited.filter((r) => r.seq === undefined);
  // One statement after the other: a transaction's connection runs one at a time.
  await read(bySeq, inArray(reportLines.source, [...new Set(bySeq.map((r) => r.file))]), inArray(reportLines.seq, [...new Set(bySeq.map((r) => r.seq ?? 0))]));
  await read(older, inArray(reportLines.documentId, [...new Set(older.map((r) => r.document_id ?? ''))]), inArray(reportLines.lineNo, [...new Set(older.map((r) => r.line ?? 0))]));
  return found;
}

/**
 * The headers the seller's syncs read for these sources, newest first. A report fetched in windows
 * (30 days at a time) is several documents with one header, and sync_sources keeps each (sync,
 * source)'s header beside its last document only.
 */
async function headersOf(q: Db, userId: string, files: readonly string[]) {
  if (files.length === 0) return [];
  return q
    .select({ source: syncSources.source, syncId: syncSources.syncId, documentId: syncSources.documentId, header: syncSources.header })
    .from(syncSources)
    .where(and(eq(syncSources.userId, userId), inArray(syncSources.source, [...files]), isNotNull(syncSources.header)))
    .orderBy(desc(syncSources.updatedAt));
}

/** The stored Amazon report lines a claim cites (details.sources), with each report's header. */
export async function sourceLines(q: Db, claim: Pick<ClaimRow, 'userId' | 'details'>): Promise<SourceLine[]> {
  const refs = sourcesOf(claim.details);
  const found = await storedText(q, claim.userId, refs);
  const byDocument = new Map<string, string>();
  const bySync = new Map<string, string>();
  const latest = new Map<string, string>();
  for (const h of await headersOf(q, claim.userId, [...new Set(refs.map((r) => r.file))])) {
    if (!h.header) continue;
    if (h.documentId && !byDocument.has(h.documentId)) byDocument.set(h.documentId, h.header);
    if (!bySync.has(`${h.syncId}\n${h.source}`)) bySync.set(`${h.syncId}\n${h.source}`, h.header);
    if (!latest.has(h.source)) latest.set(h.source, h.header);
  }
  // Its own document's header; else the one its sync read for that report (an earlier window of
  // it), else the newest, when it has as many fields as the line: a report whose columns changed
  // since is shown as the line itself rather than under the wrong names.
  const headerOf = (r: SourceRef, text: string | null): string | null => {
    const own = r.document_id ? byDocument.get(r.document_id) : undefined;
    if (own) return own;
    const other = (r.sync_id ? bySync.get(`${r.sync_id}\n${r.file}`) : undefined) ?? latest.get(r.file);
    if (!other || text === null) return null;
    const sep = fieldSeparator(r.file);
    return other.split(sep).length === text.split(sep).length ? other : null;
  };
  return refs.map((r) => {
    const text = found.get(lineKey(r.document_id, r.line)) ?? null;
    return { file: r.file, documentId: r.document_id ?? null, line: r.line ?? null, syncId: r.sync_id ?? null, text, header: headerOf(r, text) };
  });
}

async function evidenceOf(q: Db, claim: ClaimRow): Promise<EvidenceView[]> {
  const links = await q
    .select()
    .from(claimEvidence)
    .where(and(eq(claimEvidence.claimId, claim.id), eq(claimEvidence.userId, claim.userId)))
    .orderBy(asc(claimEvidence.fileId));
  if (links.length === 0) return [];
  const files = await q.select().from(evidenceFiles).where(inArray(evidenceFiles.id, links.map((l) => l.fileId)));
  const itemIds = links.flatMap((l) => l.itemIds);
  const items = itemIds.length ? await q.select().from(evidenceItems).where(inArray(evidenceItems.id, itemIds)).orderBy(asc(evidenceItems.id)) : [];
  return links.flatMap((l) => {
    const file = files.find((f) => f.id === l.fileId && f.userId === claim.userId);
    if (!file) return [];
    const mine = new Set(l.itemIds);
    return [{ file, role: l.role, units: l.units, items: items.filter((i) => mine.has(i.id) && i.fileId === file.id) }];
  });
}

/** Reads a claim's proof; the claim must exist (ProofUnavailableError otherwise). */
export async function gatherProof(q: Db, p: { claimId: string; payoutId: string }): Promise<ProofData> {
  const [claim] = await q.select().from(claims).where(eq(claims.id, p.claimId));
  if (!claim) throw new ProofUnavailableError(`claim ${p.claimId} is not known`);
  const own = eq(phaseAudit.userId, claim.userId);
  // The claim's own phases, and the phases of the sync run that found it.
  const timelineWhere = claim.syncId
    ? and(own, or(eq(phaseAudit.claimId, claim.id), and(eq(phaseAudit.syncId, claim.syncId), isNull(phaseAudit.claimId))))
    : and(own, eq(phaseAudit.claimId, claim.id));
  // One query after another: a transaction's connection runs one statement at a time.
  const lines = await sourceLines(q, claim);
  const evidence = await evidenceOf(q, claim);
  const timeline = await q.select().from(phaseAudit).where(timelineWhere).orderBy(asc(phaseAudit.at), asc(phaseAudit.id));
  // The claim's own payouts: a case of several claims is paid line by line, each line on the claim
  // it pays, and another claim's payout (or a line parked for an operator) is not this claim's.
  const paid = await q
    .select()
    .from(reimbursements)
    .where(and(eq(reimbursements.userId, claim.userId), eq(reimbursements.claimId, claim.id), isNull(reimbursements.unmatchedReason)))
    .orderBy(asc(reimbursements.approvalDate), asc(reimbursements.reimbursementId), asc(reimbursements.lineKey));
  const fees = await q
    .select()
    .from(feeCharges)
    .where(and(eq(feeCharges.claimId, claim.id), eq(feeCharges.userId, claim.userId)))
    .orderBy(asc(feeCharges.createdAt), asc(feeCharges.payoutId));
  const moments = [claim.createdAt, ...timeline.map((t) => t.at), ...paid.map((r) => r.approvalDate ?? r.seenAt), ...fees.map((f) => f.createdAt)];
  const asOf = new Date(Math.max(...moments.map((d) => d.getTime())));
  return { claim, payoutId: p.payoutId, lines, evidence, timeline, reimbursements: paid, fees, asOf };
}

