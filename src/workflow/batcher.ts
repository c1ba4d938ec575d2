// Groups concurrent calls into batches: calls made in the same event-loop turn, or while the
// batches in flight fill the limit, are handed to `run` together (at most `maxBatch` at once).
// Each caller still gets its own answer: `run` returns one settled result per item, in order, so
// one item's error does not fail the others. Used for intake (N triggers stored by one statement)
// and for group commit (completions reached during a commit, written by the next one).

export type Settled<O> = { readonly ok: true; readonly value: O } | { readonly ok: false; readonly error: unknown };

export interface BatcherOptions {
  readonly maxBatch: number;
  /** Batches running at once; later calls wait and form the next batch. */
  readonly maxInFlight: number;
  /** How a flush is deferred to collect the turn's calls (setImmediate; tests inject their own). */
  readonly defer?: (f: () => void) => void;
}

export interface Batcher<I, O> {
  submit(item: I): Promise<O>;
}

interface Waiting<I, O> {
  readonly item: I;
  resolve(value: O): void;
  reject(error: unknown): void;
}

export function createBatcher<I, O>(run: (items: readonly I[]) => Promise<ReadonlyArray<Settled<O>>>, options: BatcherOptions): Batcher<I, O> {
  const defer = options.defer ?? ((f) => setImmediate(f));
  const waiting: Array<Waiting<I, O>> = [];
  let inFlight = 0;
  let scheduled = false;

  function flush(): void {
    while (inFlight < options.maxInFlight && waiting.length > 0) {
      const batch = waiting.splice(0, options.maxBatch);
      inFlight++;
      void runBatch(batch).finally(() => {
        inFlight--;
        flush();
      });
    }
  }

  async function runBatch(batch: Array<Waiting<I, O>>): Promise<void> {
    let results: ReadonlyArray<Settled<O>>;
    try {
      results = await run(batch.map((w) => w.item));
      if (results.length !== batch.length) throw new Error(`batch of ${batch.length} answered with ${results.length} results`);
    } catch (err) {
      for (const w of batch) w.reject(err);
      return;
    }
    batch.forEach((w, i) => {
      const r = results[i]!;
      if (r.ok) w.resolve(r.value);
      else w.reject(r.error);
    });
  }

  return {
    submit(item) {
      return new Promise<O>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        // Collect the rest of this turn's calls first; when batches are in flight, the finishing
        // one flushes whatever gathered meanwhile.
        if (!scheduled && inFlight < options.maxInFlight) {
          scheduled = true;
          defer(() => {
            scheduled = false;
            flush();
          });
        }
      });
    },
  };
}
