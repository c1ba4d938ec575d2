/**
 * A small seeded PRNG (mulberry32): the same seed gives the same seller, byte for byte, on every
 * machine. Math.random would make a failing comparison impossible to replay.
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A separate stream for one part of the seller, so that changing one part does not shift the others. */
  static stream(seed: number, name: string): Random {
    let h = seed >>> 0;
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x9e3779b1) >>> 0;
    return new Random(h ^ 0x85ebca6b);
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  /** `length` characters drawn from `alphabet`. */
  chars(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }

  digits(length: number): string {
    return this.chars('0123456789', length);
  }
}

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Identifiers that look like Amazon's and never repeat within one seller. */
export class Ids {
  private readonly used = new Set<string>();

  constructor(private readonly random: Random) {}

  private unique(make: () => string): string {
    for (;;) {
      const id = make();
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
  }

  order(): string {
    return this.unique(() => `${this.random.int(111, 114)}-${this.random.digits(7)}-${this.random.digits(7)}`);
  }
  fnsku(): string {
    return this.unique(() => `X00${this.random.chars(UPPER_ALNUM, 7)}`);
  }
  asin(): string {
    return this.unique(() => `B0${this.random.chars(UPPER_ALNUM, 8)}`);
  }
  inboundShipment(): string {
    return this.unique(() => `FBA15${this.random.chars(UPPER_ALNUM, 7)}`);
  }
  /** Amazon's outbound shipment ids, the ledger's Reference ID of a customer shipment. */
  outboundShipment(): string {
    return this.unique(() => `D${this.random.chars('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 8)}`);
  }
  removalOrder(): string {
    return this.unique(() => this.random.chars(UPPER_ALNUM, 10));
  }
  reimbursement(): string {
    return this.unique(() => `${this.random.int(1, 9)}${this.random.digits(9)}`);
  }
  /** A ledger adjustment's Reference ID: Amazon's Transaction Item ID, which its claim forms ask for. */
  transactionItem(): string {
    return this.unique(() => `${this.random.int(1, 9)}${this.random.digits(11)}`);
  }
  /** A removal parcel's carrier tracking number (UPS's 1Z form). */
  tracking(): string {
    return this.unique(() => `1Z${this.random.chars(UPPER_ALNUM, 16)}`);
  }
  caseId(): string {
    return this.unique(() => `1${this.random.digits(9)}`);
  }
  licensePlate(): string {
    return this.unique(() => `LPN${this.random.chars(UPPER_ALNUM, 9)}`);
  }
}
