/**
 * SP-API usage plans are token buckets per selling partner and operation: `rate` tokens per
 * second refill a bucket of `burst` (AMAZON.md §1.3). The client waits for a token before each
 * call so a sync does not burn through 429s; the simulator uses the same buckets to refuse.
 */
import type { Clock } from './clock.js';

export interface UsagePlan {
  /** Requests per second. */
  readonly rate: number;
  readonly burst: number;
}

/** Amazon's default usage plans for the operations Clario calls. */
export const USAGE_PLANS = {
  createReport: { rate: 0.0167, burst: 15 },
  getReport: { rate: 2, burst: 15 },
  getReports: { rate: 0.0222, burst: 10 },
  getReportDocument: { rate: 0.0167, burst: 15 },
  listFinancialEvents: { rate: 0.5, burst: 30 },
  listTransactions: { rate: 0.5, burst: 10 },
  getShipments: { rate: 2, burst: 30 },
  getShipmentItemsByShipmentId: { rate: 2, burst: 30 },
  getShipmentItems: { rate: 2, burst: 30 },
} as const satisfies Record<string, UsagePlan>;

export type SpApiOperation = keyof typeof USAGE_PLANS;

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private plan: UsagePlan,
    now: number,
  ) {
    this.tokens = plan.burst;
    this.updatedAt = now;
  }

  get rate(): number {
    return this.plan.rate;
  }

  /** Takes a token and returns 0, or returns how many milliseconds until one is available. */
  take(now: number): number {
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.plan.rate) * 1000);
  }

  /** Amazon's `x-amzn-RateLimit-Limit` says which rate really applies to this seller. */
  setRate(rate: number, now: number): void {
    if (!(rate > 0) || rate === this.plan.rate) return;
    this.refill(now);
    this.plan = { rate, burst: this.plan.burst };
  }

  /** After a 429 the server's bucket is empty whatever ours believed. */
  empty(now: number): void {
    this.refill(now);
    this.tokens = 0;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.plan.burst, this.tokens + elapsed * this.plan.rate);
    this.updatedAt = now;
  }
}

/** Buckets per (seller, operation), created on first use. */
export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly clock: Clock,
    private readonly plans: Readonly<Record<SpApiOperation, UsagePlan>> = USAGE_PLANS,
  ) {}

  bucket(sellerId: string, operation: SpApiOperation): TokenBucket {
    const key = `${sellerId}\u0000${operation}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.plans[operation], this.clock.now());
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  /** Waits (on the clock) until the bucket has a token, then takes it; an abort ends the wait. */
  async acquire(sellerId: string, operation: SpApiOperation, signal?: AbortSignal): Promise<void> {
    const bucket = this.bucket(sellerId, operation);
    for (;;) {
      const wait = bucket.take(this.clock.now());
      if (wait === 0) return;
      await this.clock.sleep(wait, signal);
    }
  }

  /** Takes a token if there is one; otherwise returns the wait in milliseconds (the simulator's 429). */
  tryTake(sellerId: string, operation: SpApiOperation): number {
    return this.bucket(sellerId, operation).take(this.clock.now());
  }
}
