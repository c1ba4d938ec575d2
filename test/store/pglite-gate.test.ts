import { describe, expect, it } from 'vitest';
import { asIntake, createGate, isIntake, outsideIntake, type GateClass } from '../../src/store/pglite-gate.js';

/** Fake tasks the test finishes by hand, and a deferral it fires by hand: the order is explicit. */
function harness(intakePerWorker: number, maxInFlight = 1) {
  const turns: Array<() => void> = [];
  const gate = createGate({ intakePerWorker, maxInFlight, defer: (f) => turns.push(f) });
  const started: string[] = [];
  const finishers = new Map<string, () => void>();
  const submit = (cls: GateClass, name: string) =>
    gate.run(cls, () => {
      started.push(name);
      return new Promise<string>((resolve) => finishers.set(name, () => resolve(name)));
    });
  const settle = () => new Promise<void>((r) => setImmediate(r));
  return {
    started,
    submit,
    async finish(name: string) {
      finishers.get(name)!();
      await settle();
    },
    turn() {
      const fs = turns.splice(0);
      for (const f of fs) f();
      return fs.length;
    },
  };
}

describe('the PGlite gate', () => {
  it('lets one query in at a time; intake starts at once, a worker query only on a fresh turn', async () => {
    const h = harness(8);
    void h.submit('worker', 'w1');
    expect(h.started).toEqual([]);
    void h.submit('intake', 'i1');
    // Intake arrived before the worker's turn came: it goes first.
    expect(h.started).toEqual(['i1']);
    expect(h.turn()).toBe(1);
    expect(h.started).toEqual(['i1']);
    await h.finish('i1');
    expect(h.started).toEqual(['i1']);
    h.turn();
    expect(h.started).toEqual(['i1', 'w1']);
    void h.submit('intake', 'i2');
    expect(h.started).toEqual(['i1', 'w1']);
    await h.finish('w1');
    expect(h.started).toEqual(['i1', 'w1', 'i2']);
  });

  it('gives a waiting worker query a turn after every intakePerWorker intake queries', async () => {
    const h = harness(2);
    void h.submit('intake', 'i0');
    void h.submit('worker', 'w1');
    void h.submit('worker', 'w2');
    for (const i of [1, 2, 3, 4, 5]) void h.submit('intake', `i${i}`);
    const order = async () => {
      for (;;) {
        const running = h.started.at(-1)!;
        h.turn();
        if (h.started.length === 8) return;
        await h.finish(running);
        h.turn();
      }
    };
    await order();
    expect(h.started).toEqual(['i0', 'i1', 'w1', 'i2', 'i3', 'w2', 'i4', 'i5']);
  });

  it('runs worker queries in order when no intake waits, and goes on after a failed task', async () => {
    const turns: Array<() => void> = [];
    const gate = createGate({ intakePerWorker: 8, defer: (f) => turns.push(f) });
    const boom = gate.run('worker', () => Promise.reject(new Error('boom'))).catch((e: Error) => `failed: ${e.message}`);
    const ok = gate.run('worker', () => Promise.resolve('ok'));
    const fire = async () => {
      while (turns.length > 0) {
        turns.shift()!();
        await new Promise<void>((r) => setImmediate(r));
      }
    };
    await fire();
    await expect(boom).resolves.toBe('failed: boom');
    await expect(ok).resolves.toBe('ok');
  });

  it('lets maxInFlight queries in at once, intake still first, a worker query still on a fresh turn', async () => {
    const h = harness(8, 2);
    void h.submit('worker', 'w1');
    void h.submit('worker', 'w2');
    void h.submit('worker', 'w3');
    expect(h.started).toEqual([]);
    h.turn();
    expect(h.started).toEqual(['w1', 'w2']);
    void h.submit('intake', 'i1');
    void h.submit('intake', 'i2');
    await h.finish('w1');
    // The freed place goes to intake; w3 waits, though it came first.
    expect(h.started).toEqual(['w1', 'w2', 'i1']);
    await h.finish('i1');
    await h.finish('w2');
    expect(h.started).toEqual(['w1', 'w2', 'i1', 'i2']);
    h.turn();
    expect(h.started).toEqual(['w1', 'w2', 'i1', 'i2', 'w3']);
  });

  it('marks intake through async continuations', async () => {
    expect(isIntake()).toBe(false);
    const seen = await asIntake(async () => {
      await new Promise<void>((r) => setImmediate(r));
      return isIntake();
    });
    expect(seen).toBe(true);
    expect(isIntake()).toBe(false);
    const woken = await asIntake(() => outsideIntake(async () => {
      await new Promise<void>((r) => setImmediate(r));
      return isIntake();
    }));
    expect(woken).toBe(false);
  });
});
