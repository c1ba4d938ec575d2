// The workload the scenarios drive: capabilities whose phases do small real work and make the two
// external effects that must happen once, through the effects ledger, against loopback providers:
// phase 4 files each claim's case at Amazon's case log, phase 7 charges the fee.
//
// THE ONE PLACE TO SWITCH: once the real filing (routing) and fee (settlement) capabilities are in
// main, return them here instead of `fileCases` / `chargeFee` below, pointed at the same loopback
// providers; every scenario and smoke test then exercises them.
import { eq } from 'drizzle-orm';
import { NonRetryableError, foreignCode } from '../src/domain/errors.js';
import { findClaim, moveClaim } from '../src/store/claim-rows.js';
import { claims } from '../src/store/schema/claims-tables.js';
import { unavailableCapabilities, type Capabilities } from '../src/workflow/capabilities.js';
import { caseToken, type CaseNote } from './providers.js';

export interface WorkloadOptions {
  readonly caseApiUrl: string;
  readonly caseTokenSecret: string;
  readonly feeUrl: string;
  /** Claims detection finds per sync run. */
  readonly claimsPerRun?: number;
}

/** The workload's options from the environment a worker process is given. */
export function workloadFromEnv(env: NodeJS.ProcessEnv): WorkloadOptions {
  const need = (name: string) => {
    const v = env[name];
    if (!v) throw new Error(`${name} is not set`);
    return v;
  };
  return {
    caseApiUrl: need('RESILIENCE_CASE_API_URL'),
    caseTokenSecret: need('RESILIENCE_CASE_TOKEN_SECRET'),
    feeUrl: need('RESILIENCE_FEE_URL'),
    claimsPerRun: Number(env.RESILIENCE_CLAIMS_PER_RUN ?? '1'),
  };
}

/** A provider call's signal: the attempt's (a stop or a lost lease cancels it), bounded at 10 s. */
const callSignal = (attempt: AbortSignal) => AbortSignal.any([attempt, AbortSignal.timeout(10_000)]);

export function claimIds(syncId: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${syncId}-claim-${i}`);
}

async function providerJson<T>(res: Response): Promise<T> {
  if (!res.ok) {
    const text = await res.text();
    // A refusal of our request cannot be fixed by retrying; anything else (5xx) can.
    if (res.status >= 400 && res.status < 500 && res.status !== 429) throw new NonRetryableError(`provider said ${res.status}: ${text}`, foreignCode('provider_refused'));
    throw new Error(`provider said ${res.status}`);
  }
  return (await res.json()) as T;
}

export function workloadCapabilities(options: WorkloadOptions): Capabilities {
  const n = options.claimsPerRun ?? 1;
  return {
    ...unavailableCapabilities(),
    sync: { start: (_ctx, run) => Promise.resolve({ completed: true, data: { seller_id: run.sellerId } }) },
    detection: {
      detect(_ctx, run) {
        const rows = claimIds(run.syncId, n).map((id, i) => ({
          id, userId: run.userId, syncId: run.syncId, type: 'lost_warehouse', status: 'detected' as const,
          amountMinor: 1000 * (i + 1), currency: 'USD', quantity: 1, deadline: '2026-12-30',
        }));
        // Detection may run more than once for a run (a duplicate webhook): it never adds a claim twice.
        return Promise.resolve({ data: { claims_found: rows.length }, apply: async (tx) => void (await tx.insert(claims).values(rows).onConflictDoNothing()) });
      },
    },
    evidence: { match: (_ctx, run) => Promise.resolve({ data: { matched: n }, matches: claimIds(run.syncId, n).map((claim) => ({ claim, confidence: 0.9 })) }) },
    routing: { route: fileCases(options) },
    payouts: { monitor: (_ctx, input) => Promise.resolve({ data: { watching: input.caseId } }) },
    // Phase 7's learning and proof steps keep nothing: the scenarios count cases and fees.
    learning: { learn: (_ctx, input) => Promise.resolve({ data: { learned: input.reason } }), recordApproval: () => Promise.resolve({}) },
    settlement: { settle: chargeFee(options) },
    proof: { build: () => Promise.resolve({}) },
  };
}

/** Phase 4: every claim of the run is filed as a case, once. */
function fileCases(options: WorkloadOptions): Capabilities['routing']['route'] {
  return async (ctx, run) => {
    const found = await ctx.db.select().from(claims).where(eq(claims.syncId, run.syncId));
    const token = caseToken(options.caseTokenSecret, run.userId);
    const filed: Array<{ claimId: string; caseId: string }> = [];
    for (const claim of found) {
      const note: CaseNote = { user_id: run.userId, claim_id: claim.id, amount_minor: claim.amountMinor ?? 0, currency: claim.currency ?? 'USD' };
      const body = { subject: `Reimbursement request for claim ${claim.id}`, description: JSON.stringify(note), claim_type: claim.type, quantity: claim.quantity ?? 1 };
      const c = await ctx.effects.once(`case:${claim.id}`, 'file_case', {
        async perform(key) {
          const res = await fetch(`${options.caseApiUrl}/cases`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-amz-access-token': token, 'idempotency-key': key },
            body: JSON.stringify(body),
            signal: callSignal(ctx.signal),
          });
          return { case_id: (await providerJson<{ case_id: string }>(res)).case_id };
        },
        // The case log may have the case already (filed just before a crash): ask before filing.
        async reconcile(key) {
          const res = await fetch(`${options.caseApiUrl}/cases?idempotency_key=${encodeURIComponent(key)}`, { headers: { 'x-amz-access-token': token }, signal: callSignal(ctx.signal) });
          const known = (await providerJson<{ cases: Array<{ case_id: string }> }>(res)).cases[0];
          return known ? { case_id: known.case_id } : undefined;
        },
      });
      filed.push({ claimId: claim.id, caseId: c.case_id });
    }
    return {
      data: { routed: run.matches?.length ?? 0, filed: filed.length },
      apply: async (tx) => {
        for (const f of filed) {
          const now = await findClaim(tx, f.claimId);
          if (!now) throw new Error(`claim ${f.claimId} vanished`);
          // Amazon's "submitted" (phase 5) may have recorded the case first; same case, nothing to do.
          if (now.caseId === f.caseId) continue;
          if (!(await moveClaim(tx, f.claimId, now.status, 'filed', { caseId: f.caseId }))) throw new Error(`claim ${f.claimId} changed while phase 4 ran; retrying`);
        }
      },
    };
  };
}

/** Phase 7: the fee on a payout is charged once. */
function chargeFee(options: WorkloadOptions): Capabilities['settlement']['settle'] {
  return async (ctx, input) => {
    const fee = Math.round(input.amount.minor / 5);
    const charge = await ctx.effects.once(`fee:${input.payoutId}`, 'charge_fee', {
      async perform(key) {
        const res = await fetch(`${options.feeUrl}/charges?key=${encodeURIComponent(key)}`, { method: 'POST', signal: callSignal(ctx.signal) });
        return providerJson<{ charge: string }>(res);
      },
      async reconcile(key) {
        const res = await fetch(`${options.feeUrl}/charges?key=${encodeURIComponent(key)}`, { signal: callSignal(ctx.signal) });
        if (res.status === 404) return undefined;
        return providerJson<{ charge: string }>(res);
      },
    });
    return { data: { charge: charge.charge, fee_minor: fee, currency: input.amount.currency } };
  };
}
