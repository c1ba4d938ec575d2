/**
 * The simulator's whole state, in memory: grants and tokens, reports and their documents, the
 * case log and the reimbursement rows that approved cases add. Restarting the simulator
 * forgets it, like a fresh sandbox, unless it was given a state file (state-file.ts): then what
 * Amazon itself would remember (durable()) outlives the restart. The seller folders on disk are
 * only ever read.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from './simulated-clock.js';
import { UsageBuckets, type UsagePlanOverrides } from './usage-plans.js';

export interface SimulatedSeller {
  /** A folder of DETECTION.md files (TSV reports, inbound-shipments.json, financial-events.json). */
  readonly folder: string;
}

export interface AuthCode {
  readonly sellerId: string;
  readonly redirectUri: string;
  readonly expiresAt: number;
  used: boolean;
  /** A Login with Amazon sign-in's code: the Amazon account and the scope it granted (no seller). */
  readonly signIn?: { readonly account: string; readonly scope: string };
}

/** An Amazon customer account known to the simulated Login with Amazon. */
export interface SimAccount {
  readonly userId: string;
  readonly name: string;
  readonly email: string;
}

export interface SimReport {
  readonly sellerId: string;
  readonly reportId: string;
  readonly reportType: string;
  readonly marketplaceIds: readonly string[];
  readonly dataStartTime?: string;
  readonly dataEndTime?: string;
  readonly createdTime: string;
  polls: number;
  reportDocumentId?: string;
  processingStartTime?: string;
  processingEndTime?: string;
  final?: 'DONE' | 'CANCELLED';
}

export interface SimDocument {
  readonly sellerId: string;
  readonly reportType: string;
  readonly start?: number;
  readonly end?: number;
}

export type CaseStatus = 'open' | 'approved' | 'rejected';

export interface SimCase {
  readonly case_id: string;
  readonly seller_id: string;
  readonly idempotency_key: string | null;
  readonly created_at: string;
  updated_at: string;
  status: CaseStatus;
  readonly request: Readonly<Record<string, unknown>>;
  decision: null | { approved: SimApproval } | { rejected: { reason: string } };
  /** Hash of the request body: a reused Idempotency-Key with another body is refused. */
  readonly fingerprint: string;
}

/** One reimbursement line per item of the case; `reimbursement_id` is the first item's. */
export interface SimApproval {
  readonly amount_minor: number;
  readonly currency: string;
  readonly reimbursement_id: string;
  readonly items: ReadonlyArray<{
    readonly reimbursement_id: string;
    readonly sku: string;
    readonly fnsku: string;
    readonly order_id: string;
    readonly quantity: number;
    readonly amount_minor: number;
  }>;
}

/**
 * What Amazon would still know after the simulator restarts: the grants an app holds (refresh
 * tokens), the accounts that signed in, the case log with the reimbursements it added, and the id
 * counter, so that new ids never repeat old ones. Access tokens, auth codes, reports and document
 * URLs are short-lived on Amazon too, and are asked for again.
 */
export interface DurableState {
  readonly seq: number;
  readonly refreshTokens: ReadonlyArray<readonly [string, string]>;
  readonly profileRefreshTokens: ReadonlyArray<readonly [string, { account: string; scope: string }]>;
  readonly accounts: readonly SimAccount[];
  readonly cases: readonly SimCase[];
  readonly casesByKey: ReadonlyArray<readonly [string, string]>;
  readonly addedReimbursements: ReadonlyArray<readonly [string, Record<string, string>[]]>;
}

export const ACCESS_TOKEN_TTL_S = 3600;
export const AUTH_CODE_TTL_MS = 5 * 60_000;
export const DOCUMENT_URL_TTL_S = 300;

export class SimulatorState {
  readonly codes = new Map<string, AuthCode>();
  readonly refreshTokens = new Map<string, string>();
  readonly accessTokens = new Map<string, { sellerId: string; expiresAt: number }>();
  /** Tokens of LWA sign-ins: they read the profile only, never a seller's data. */
  readonly profileTokens = new Map<string, { account: string; scope: string; expiresAt: number }>();
  readonly profileRefreshTokens = new Map<string, { account: string; scope: string }>();
  /** Amazon accounts that signed in, by user_id. */
  readonly accounts = new Map<string, SimAccount>();
  readonly reports = new Map<string, SimReport>();
  readonly documents = new Map<string, SimDocument>();
  readonly cases = new Map<string, SimCase>();
  readonly casesByKey = new Map<string, string>();
  /** Reimbursement rows added by approved cases, per seller, as column → value. */
  readonly addedReimbursements = new Map<string, Record<string, string>[]>();
  readonly limiter: UsageBuckets;
  /** Signs document URLs and page tokens so they cannot be forged or moved between sellers. */
  private readonly secret = randomBytes(32);
  private seq = 0;

  constructor(
    readonly sellers: ReadonlyMap<string, SimulatedSeller>,
    readonly clock: Clock,
    usagePlans: UsagePlanOverrides = {},
  ) {
    this.limiter = new UsageBuckets(clock, usagePlans);
  }

  /** Amazon-looking numeric ids (reports, cases, reimbursements), unique per simulator. */
  nextNumber(base: number): string {
    this.seq += 1;
    return String(base + this.seq);
  }

  token(prefix: string): string {
    return `${prefix}${randomBytes(36).toString('base64url')}`;
  }

  sign(text: string): string {
    return createHmac('sha256', this.secret).update(text).digest('base64url');
  }

  /** An opaque page token carrying the query state, signed and bound to the seller. */
  pageToken(sellerId: string, state: Record<string, unknown>): string {
    const body = Buffer.from(JSON.stringify({ ...state, seller: sellerId })).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  readPageToken(sellerId: string, token: string): Record<string, unknown> | undefined {
    const [body, signature] = token.split('.');
    if (!body || !signature || this.sign(body) !== signature) return undefined;
    const state = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    return state.seller === sellerId ? state : undefined;
  }

  nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  durable(): DurableState {
    return {
      seq: this.seq,
      refreshTokens: [...this.refreshTokens],
      profileRefreshTokens: [...this.profileRefreshTokens],
      accounts: [...this.accounts.values()],
      cases: [...this.cases.values()],
      casesByKey: [...this.casesByKey],
      addedReimbursements: [...this.addedReimbursements],
    };
  }

  /** Takes back what durable() gave, into a simulator that has handed out nothing yet. */
  restore(d: DurableState): void {
    this.seq = Math.max(this.seq, d.seq);
    for (const [token, seller] of d.refreshTokens) this.refreshTokens.set(token, seller);
    for (const [token, signIn] of d.profileRefreshTokens) this.profileRefreshTokens.set(token, signIn);
    for (const account of d.accounts) this.accounts.set(account.userId, account);
    for (const c of d.cases) this.cases.set(c.case_id, c);
    for (const [key, id] of d.casesByKey) this.casesByKey.set(key, id);
    for (const [seller, rows] of d.addedReimbursements) this.addedReimbursements.set(seller, rows);
  }

  /** Forgets every token of a seller: the next refresh answers invalid_grant (a revoked app). */
  revokeSeller(sellerId: string): void {
    for (const [token, owner] of this.refreshTokens) if (owner === sellerId) this.refreshTokens.delete(token);
    for (const [token, entry] of this.accessTokens) if (entry.sellerId === sellerId) this.accessTokens.delete(token);
  }
}
