/** The simulator's time, in milliseconds since the epoch; tests hand in a manual clock. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
