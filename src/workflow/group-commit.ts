// Group commit: the completions this worker's slots reach while a commit is in flight are written
// together, by one statement, when it returns — one round trip and one database commit for the
// batch instead of one each. Each completion is still a compare-and-set on its own event (one not
// ours any more is left out, the others commit), with its audit rows, sync_progress and outbox
// messages in that statement. A batch the database refuses (two of them meeting on a lane, say) is
// written again one completion at a time, which is what they were without group commit.
import type { Db } from '../store/db.js';
import { complete, completeMany, type Completion, type CompletionResult } from './inbox.js';

export interface GroupCommitter {
  /** As inbox.complete, committed with whatever other completions are waiting. */
  complete(id: string, workerId: string, c: Completion): Promise<CompletionResult | undefined>;
}

interface Waiting {
  readonly id: string;
  readonly workerId: string;
  readonly completion: Completion;
  readonly resolve: (r: CompletionResult | undefined) => void;
  readonly reject: (err: unknown) => void;
}

/**
 * `maxInFlight` batches at once: 1 where the database runs one statement at a time anyway (PGlite);
 * more lets a server work on a batch while the next one forms.
 */
export function createGroupCommitter(db: Db, options: { maxInFlight: number; maxBatch: number }): GroupCommitter {
  let waiting: Waiting[] = [];
  let inFlight = 0;

  async function flush(batch: Waiting[]): Promise<void> {
    try {
      const results = batch.length === 1 ? undefined : await completeMany(db, batch).catch(() => undefined);
      if (results) {
        batch.forEach((w, i) => w.resolve(results[i]));
        return;
      }
      // One alone, or a batch refused: each on its own (with its own fallbacks), none lost.
      await Promise.all(batch.map((w) => complete(db, w.id, w.workerId, w.completion).then(w.resolve, w.reject)));
    } finally {
      inFlight--;
      next();
    }
  }

  function next(): void {
    while (inFlight < options.maxInFlight && waiting.length > 0) {
      const batch = waiting.slice(0, options.maxBatch);
      waiting = waiting.slice(batch.length);
      inFlight++;
      void flush(batch);
    }
  }

  return {
    complete(id, workerId, completion) {
      return new Promise((resolve, reject) => {
        waiting.push({ id, workerId, completion, resolve, reject });
        next();
      });
    },
  };
}
