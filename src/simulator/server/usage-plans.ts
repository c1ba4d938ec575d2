/**
 * Amazon's side of SP-API usage plans: a token bucket per selling partner and operation, `rate`
 * tokens a second refilling up to `burst`; an empty bucket answers 429. The plans are the
 * simulator's own copy of Amazon's published defaults (AMAZON.md §1.3), not Clario's
 * (src/amazon/rate-limit.ts), so a client pacing itself on a wrong table meets 429s here.
 */
import type { Clock } from './simulated-clock.js';

export interface UsagePlan {
  /** Requests per second. */
  readonly rate: number;
  readonly burst: number;
}

/** Amazon's default usage plan of each operation the simulator serves. */
export const AMAZON_USAGE_PLANS = {
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

/** The SP-API operations the simulator serves. */
export type SpApiOperation = keyof typeof AMAZON_USAGE_PLANS;

/**
 * Plans that differ from the defaults, per operation: Amazon raises some sellers' limits and
 * announces each seller's rate in `x-amzn-RateLimit-Limit`, which a client must follow.
 */
export type UsagePlanOverrides = Partial<Readonly<Record<SpApiOperation, UsagePlan>>>;

export class UsageBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly plan: UsagePlan,
    now: number,
  ) {
    this.tokens = plan.burst;
    this.updatedAt = now;
  }

  /** What `x-amzn-RateLimit-Limit` announces. */
  get rate(): number {
    return this.plan.rate;
  }

  /** Takes a token and returns 0, or returns how many milliseconds until one is available. */
  take(now: number): number {
    const elapsed = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.plan.burst, this.tokens + elapsed * this.plan.rate);
    this.updatedAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.plan.rate) * 1000);
  }
}

/** Buckets per (seller, operation), created full on first use. */
export class UsageBuckets {
  private readonly buckets = new Map<string, UsageBucket>();

  constructor(
    private readonly clock: Clock,
    private readonly overrides: UsagePlanOverrides = {},
  ) {}

  bucket(sellerId: string, operation: SpApiOperation): UsageBucket {
    const key = `${sellerId}\u0000${operation}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new UsageBucket(this.overrides[operation] ?? AMAZON_USAGE_PLANS[operation], this.clock.now());
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}
