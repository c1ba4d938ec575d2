// Group commit: the completions this worker's slots reach while a commit is in flight are written
// together, by one statement, when it returns — one round trip and one database commit for the
// batch instead of one each. Each completion is still a compare-and-set on its own event (one not
// ours any more is left out, the others commit), with its audit rows, sync_progress and outbox
// messages in that statement. A batch the database refuses (two of them meeting on a lane, say) is
// written again one completion at a time, which is what they were without group commit.
import type { Db } from '../store/db.js';
import { createBatcher, type Settled } from './batcher.js';
import { complete, completeMany, type Completion, type CompletionRequest, type CompletionResult } from './inbox.js';

export interface GroupCommitter {
  /** As inbox.complete, committed with whatever other completions are waiting. */
  complete(id: string, workerId: string, c: Completion): Promise<CompletionResult | undefined>;
}

type Result = CompletionResult | undefined;

export interface GroupCommitOptions {
  /** Batches at once: 1 where the database runs one statement at a time anyway (PGlite); more lets a server work on a batch while the next one forms. */
  readonly maxInFlight: number;
  readonly maxBatch: number;
  /**
   * Wait for the end of the event-loop turn before writing, so that the completions reached in one
   * turn go together. Otherwise a completion alone is written at once and batches form only behind
   * a commit in flight. Worth it on PGlite: its one statement at a time makes a lone completion
   * hold back the others of its turn, which then need a statement of their own (embedded workflows
   * 65 → 90/s). On PostgreSQL it measured no better (three pairs), so the wait is not paid there.
   */
  readonly gatherTurn: boolean;
}

export function createGroupCommitter(db: Db, options: GroupCommitOptions): GroupCommitter {
  const batcher = createBatcher<CompletionRequest, Result>(
    async (batch): Promise<Array<Settled<Result>>> => {
      const together = batch.length === 1 ? undefined : await completeMany(db, batch).catch(() => undefined);
      if (together) return together.map((value) => ({ ok: true, value }));
      // One alone, or a batch refused: each on its own (with its own fallbacks), none lost.
      return Promise.all(batch.map((r) => complete(db, r.id, r.workerId, r.completion).then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }))));
    },
    { maxInFlight: options.maxInFlight, maxBatch: options.maxBatch, ...(options.gatherTurn ? {} : { defer: (f) => f() }) },
  );
  return { complete: (id, workerId, completion) => batcher.submit({ id, workerId, completion }) };
}
