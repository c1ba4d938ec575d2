// The filer: a paced loop that turns `ready` claims into cases. Each round first finishes intents
// a crash left behind, then plans today's new cases per seller (planCases) and files them through
// the channel. Filing is an effect with consequences at Amazon, so it goes through the effects
// ledger: intent row first, the filing id as Idempotency-Key, and on any retry the case API is
// asked for that key before a second POST could happen.
import { utcDay } from '../domain/calendar-days.js';
import type { ApprovalPolicy } from '../domain/filing-holds.js';
import { filingWindow, windowFactsOf } from '../domain/filing-window.js';
import type { ClaimRow } from '../store/claim-rows.js';
import type { Database } from '../store/db.js';
import { createEffects } from '../workflow/effects.js';
import type { Engine } from '../workflow/engine.js';
import type { Log } from '../workflow/log.js';
import { pollingLoop } from '../workflow/polling.js';
import type { CaseApi, CaseView } from './case-api.js';
import type { ClaimsChannel } from './channel.js';
import { casesOnDay, claimsOf, evidenceOf, readyClaims, unfinishedIntents, writeIntent, type FilingRow, type PreviousFiling, type ReadyClaimRow } from './filings.js';
import { expireReadyClaims, expireWaitingClaims } from './expire-claims.js';
import { applyApprovalHolds } from './hold-low-approval.js';
import { filingId, planCases } from './plan-cases.js';
import { recordCase } from './record-case.js';
import { caseItem, writeCase } from './write-case.js';
import { writeReopening } from './write-reopening.js';
import { missingDocuments, REJECTION_CODES, type MissingDocument, type RejectionCode } from '../domain/rejection.js';

export interface FilerOptions {
  readonly database: Database;
  readonly engine: Engine;
  readonly channel: ClaimsChannel;
  readonly maxItemsPerCase: number;
  readonly maxCasesPerDay: number;
  readonly intervalMs: number;
  readonly log: Log;
  /** Where the seller (or Amazon's agent) downloads an evidence file. */
  readonly downloadUrl?: (fileId: string) => string;
  readonly now?: () => Date;
  /** FILING_MIN_APPROVAL and its window; absent: no claim type is held for its approval rate. */
  readonly approval?: ApprovalPolicy;
}

export interface FilerRound {
  readonly prepared: number;
  readonly filed: number;
  readonly failed: number;
}

export interface Filer {
  /** One round: finish left-over intents, then plan and file today's cases. */
  runOnce(): Promise<FilerRound>;
  /** Runs a round soon (a claim just became ready) instead of waiting for the interval. */
  nudge(): void;
  start(): void;
  stop(): Promise<void>;
}

export const evidenceDownloadUrl = (fileId: string) => `/api/v1/evidence/${encodeURIComponent(fileId)}/content`;

export function createFiler(options: FilerOptions): Filer {
  const db = options.database.db;
  const now = options.now ?? (() => new Date());
  const effects = createEffects(db, null);

  async function fileOne(api: CaseApi, filing: FilingRow): Promise<CaseView> {
    const claims = await claimsOf(db, filing);
    // Rebuilt from the stored intent and claims (which no longer change once ready), so a retry
    // sends the same body and the case API's idempotency check accepts it.
    const request = { subject: filing.subject, description: filing.body, items: claims.map((c) => withoutClaimId(caseItem(c))) };
    // The filing id is both the ledger's key and the case API's Idempotency-Key.
    return effects.once(`file_case:${filing.id}`, 'file_case', {
      perform: () => api.file(request, filing.id),
      reconcile: () => api.findByKey(filing.id),
    });
  }

  async function fileIntent(filing: FilingRow): Promise<void> {
    if (options.channel.kind !== 'simulator') return;
    // A stop cancels the call in flight: the intent stays, and the next start reconciles it.
    const api = await options.channel.caseApi(filing.userId, loop.signal);
    const view = await fileOne(api, filing);
    await recordCase({ db, engine: options.engine }, filing, view.case_id);
  }

  async function runOnce(): Promise<FilerRound> {
    let prepared = 0;
    let filed = 0;
    let failed = 0;
    const attempt = async (filing: FilingRow) => {
      try {
        await fileIntent(filing);
        if (options.channel.kind === 'simulator') filed++;
      } catch (err) {
        // Stopped: the round ends here rather than trying every other filing.
        if (loop.signal.aborted) throw err;
        failed++;
        options.log.error({ err, filingId: filing.id, userId: filing.userId }, 'filing a case failed; the next round retries it');
      }
    };
    for (const filing of await unfinishedIntents(db)) await attempt(filing);

    const at = now();
    const today = utcDay(at);
    // What must not be filed as it is leaves the plan first: a type Amazon mostly rejects lately
    // is held (and one that recovered comes back), a new claim past its deadline expires (and so
    // does one still waiting for the seller or a person), one inside its pending period waits.
    if (options.approval) await applyApprovalHolds(db, { policy: options.approval, now: at });
    await expireWaitingClaims(db, today);
    for (const [userId, ready] of await readyClaims(db)) {
      // Filed before and sent back by Amazon's answer: on the manual channel the seller replies on
      // the same case (Seller Central lets them); the simulator's case API cannot reopen, so there
      // they go into new cases like any ready claim.
      const reopen = options.channel.kind === 'manual' ? ready.filter((c) => c.previous) : [];
      const { fileable: fresh, expired } = byWindow(ready.filter((c) => !reopen.includes(c)), today);
      if (expired.length > 0) await expireReadyClaims(db, expired, today);
      // A reply on a case Amazon answered opens no new case: the daily cap is for new cases.
      for (const group of byPrevious(reopen)) {
        if (await prepare(userId, group.map((c) => c.id), today, group.map((c) => c.previous as PreviousFiling))) prepared++;
      }
      const casesLeft = options.maxCasesPerDay - (await casesOnDay(db, userId, today));
      if (casesLeft <= 0) continue;
      const plan = planCases(
        fresh.map((c) => ({ id: c.id, type: c.type, deadline: c.deadline, shipmentId: shipmentOf(c.details), currency: c.currency })),
        { maxItemsPerCase: options.maxItemsPerCase, casesLeft },
      );
      const previousOf = new Map(fresh.flatMap((c) => (c.previous ? [[c.id, c.previous] as const] : [])));
      for (const planned of plan) {
        const previous = planned.claimIds.flatMap((id) => previousOf.get(id) ?? []);
        const row = await prepare(userId, planned.claimIds, today, previous, { reopen: false });
        if (!row) continue;
        prepared++;
        await attempt({ ...row, caseId: null, createdAt: now(), filedAt: null, lastCheckedAt: null, decidedAt: null, followUpAt: null, followUpReason: null });
      }
    }
    return { prepared, filed, failed };
  }

  /**
   * Writes one intent: a new case, or (`previous` on the manual channel) the seller's reply on the
   * Amazon case the claims were answered on. Undefined when nothing was written this round.
   */
  async function prepare(userId: string, claimIds: readonly string[], today: string, previous: readonly PreviousFiling[], o: { reopen?: boolean } = {}) {
    const reopens = o.reopen === false ? null : (previous[0]?.caseId ?? null);
    const claims = await claimsOf(db, { claimIds: [...claimIds] });
    const evidence = await evidenceOf(db, claimIds);
    const url = options.downloadUrl ?? evidenceDownloadUrl;
    const written = reopens
      ? writeReopening(claims, evidence, url, { caseId: reopens, needs: previous.flatMap((p) => neededAfter(p, claims[0]?.type ?? '')) })
      : writeCase(claims, evidence, url);
    const row = {
      id: filingId(userId, claimIds, previous.map((p) => p.filingId)),
      userId,
      channel: options.channel.kind,
      status: 'prepared' as const,
      reopensCaseId: reopens,
      claimIds: [...claimIds],
      subject: written.subject,
      body: written.body,
      attachments: written.attachments,
      filedOn: today,
    };
    return (await writeIntent(db, row, options.maxCasesPerDay, previous.map((p) => p.filingId))) ? row : undefined;
  }

  const loop = pollingLoop(runOnce, { intervalMs: options.intervalMs, onError: (err) => options.log.error({ err }, 'filing round failed') });
  return { runOnce, nudge: () => loop.nudge(), start: () => loop.start(), stop: () => loop.stop() };
}

/** Ready claims by where today stands in their filing window: only the open ones are planned. */
function byWindow<C extends ClaimRow>(ready: readonly C[], today: string): { fileable: C[]; expired: string[] } {
  const fileable: C[] = [];
  const expired: string[] = [];
  for (const c of ready) {
    const w = filingWindow(windowFactsOf(c), today);
    if (w === 'open') fileable.push(c);
    else if (w === 'expired') expired.push(c.id);
  }
  return { fileable, expired };
}

/** Claims answered on the same filing reopen it together (one reply on that Amazon case). */
function byPrevious(claims: readonly ReadyClaimRow[]): ReadyClaimRow[][] {
  const groups = new Map<string, ReadyClaimRow[]>();
  for (const c of claims) if (c.previous) groups.set(c.previous.filingId, [...(groups.get(c.previous.filingId) ?? []), c]);
  return [...groups.values()];
}

/** What Amazon's answer asked for (the taxonomy's reading of it, as phase 6 recorded it). */
function neededAfter(p: PreviousFiling, claimType: string): MissingDocument[] {
  const code = (REJECTION_CODES as readonly string[]).includes(p.reasonCode) ? (p.reasonCode as RejectionCode) : 'other';
  return missingDocuments(code, p.rawText, claimType);
}

function withoutClaimId<T extends { claim_id: string }>(item: T): Omit<T, 'claim_id'> {
  const { claim_id: _omit, ...rest } = item;
  return rest;
}

function shipmentOf(details: Record<string, unknown> | null): string | undefined {
  const key = details?.key;
  const id = key && typeof key === 'object' ? (key as Record<string, unknown>).shipment_id : undefined;
  return typeof id === 'string' ? id : undefined;
}
