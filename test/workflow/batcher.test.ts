import { describe, expect, it } from 'vitest';
import { createBatcher, type Settled } from '../../src/workflow/batcher.js';

/** A deferral the test fires by hand, so what counts as "the same turn" is explicit. */
function manualTurns() {
  const queued: Array<() => void> = [];
  return {
    defer: (f: () => void) => queued.push(f),
    turn() {
      const fs = queued.splice(0);
      for (const f of fs) f();
      return fs.length;
    },
  };
}

/** A run function whose batches the test finishes by hand. */
function heldRuns() {
  const batches: Array<{ items: readonly number[]; finish(results?: Array<Settled<string>>): void; fail(e: unknown): void }> = [];
  const run = (items: readonly number[]) =>
    new Promise<ReadonlyArray<Settled<string>>>((resolve, reject) => {
      batches.push({
        items,
        finish: (results) => resolve(results ?? items.map((i) => ({ ok: true, value: `v${i}` }))),
        fail: reject,
      });
    });
  return { batches, run };
}

const settled = <T>(p: Promise<T>) => p.then((value) => ({ value }), (error: unknown) => ({ error }));
const flushPromises = () => new Promise<void>((r) => setImmediate(r));

describe('the intake batcher', () => {
  it('hands the calls of one turn to a single run, and answers each caller with its own result', async () => {
    const turns = manualTurns();
    const { batches, run } = heldRuns();
    const b = createBatcher(run, { maxBatch: 10, maxInFlight: 1, defer: turns.defer });
    const answers = [1, 2, 3].map((i) => b.submit(i));
    expect(batches).toHaveLength(0);
    turns.turn();
    expect(batches.map((x) => x.items)).toEqual([[1, 2, 3]]);
    batches[0]!.finish();
    expect(await Promise.all(answers)).toEqual(['v1', 'v2', 'v3']);
  });

  it('gathers calls made while a batch is in flight into the next batch, at most maxBatch each', async () => {
    const turns = manualTurns();
    const { batches, run } = heldRuns();
    const b = createBatcher(run, { maxBatch: 2, maxInFlight: 1, defer: turns.defer });
    const first = b.submit(1);
    turns.turn();
    const later = [2, 3, 4].map((i) => b.submit(i));
    // No flush is scheduled while the limit is reached: the finishing batch starts the next.
    expect(turns.turn()).toBe(0);
    expect(batches).toHaveLength(1);
    batches[0]!.finish();
    await first;
    await flushPromises();
    expect(batches.map((x) => x.items)).toEqual([[1], [2, 3]]);
    batches[1]!.finish();
    await flushPromises();
    expect(batches.map((x) => x.items)).toEqual([[1], [2, 3], [4]]);
    batches[2]!.finish();
    expect(await Promise.all(later)).toEqual(['v2', 'v3', 'v4']);
  });

  it('runs up to maxInFlight batches at once', () => {
    const turns = manualTurns();
    const { batches, run } = heldRuns();
    const b = createBatcher(run, { maxBatch: 1, maxInFlight: 2, defer: turns.defer });
    for (const i of [1, 2, 3]) void b.submit(i);
    turns.turn();
    expect(batches.map((x) => x.items)).toEqual([[1], [2]]);
  });

  it("fails only the caller whose item failed; a failed run fails that batch's callers", async () => {
    const turns = manualTurns();
    const { batches, run } = heldRuns();
    const b = createBatcher(run, { maxBatch: 10, maxInFlight: 1, defer: turns.defer });
    const answers = [1, 2].map((i) => settled(b.submit(i)));
    turns.turn();
    const oops = new Error('item 2 refused');
    batches[0]!.finish([{ ok: true, value: 'v1' }, { ok: false, error: oops }]);
    expect(await Promise.all(answers)).toEqual([{ value: 'v1' }, { error: oops }]);

    const next = settled(b.submit(3));
    turns.turn();
    const down = new Error('database down');
    batches[1]!.fail(down);
    expect(await next).toEqual({ error: down });
    // The batcher goes on after a failed run.
    const after = b.submit(4);
    turns.turn();
    batches[2]!.finish();
    expect(await after).toBe('v4');
  });

  it('fails every caller when the run answers with the wrong number of results', async () => {
    const turns = manualTurns();
    const { batches, run } = heldRuns();
    const b = createBatcher(run, { maxBatch: 10, maxInFlight: 1, defer: turns.defer });
    const answers = [1, 2].map((i) => settled(b.submit(i)));
    turns.turn();
    batches[0]!.finish([{ ok: true, value: 'v1' }]);
    const out = await Promise.all(answers);
    expect(out.every((o) => 'error' in o)).toBe(true);
  });
});
