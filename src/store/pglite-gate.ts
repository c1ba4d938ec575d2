// Embedded mode keeps intake ahead of the workers. PGlite runs one statement at a time, in the order
// they reach it, so a chain of worker queries kept intake (a trigger being stored) waiting behind
// them. The gate lets a few queries (`maxInFlight`) into PGlite at a time: intake queries go first;
// a worker query starts on a fresh event-loop turn, so incoming requests are read in between; and
// while both wait, a worker query gets its turn after every `intakePerWorker` intake queries, so
// workers are slowed, never starved.
import { AsyncLocalStorage } from 'node:async_hooks';

const intakeScope = new AsyncLocalStorage<true>();

/** Runs `f` as intake: the queries it makes (and their async continuations) go first. */
export function asIntake<T>(f: () => Promise<T>): Promise<T> {
  return intakeScope.run(true, f);
}

/** Runs `f` as not intake (work it starts, like waking the relay, is the workers'). */
export function outsideIntake<T>(f: () => T): T {
  return intakeScope.exit(f);
}

export function isIntake(): boolean {
  return intakeScope.getStore() === true;
}

export type GateClass = 'intake' | 'worker';

export interface Gate {
  run<T>(cls: GateClass, task: () => Promise<T>): Promise<T>;
}

export interface GateOptions {
  readonly intakePerWorker: number;
  /** Queries let in at once (default 1). */
  readonly maxInFlight?: number;
  /** Starts a worker query on a fresh turn (setImmediate; tests inject their own). */
  readonly defer?: (f: () => void) => void;
}

interface Task {
  start(): void;
}

export function createGate(options: GateOptions): Gate {
  const defer = options.defer ?? ((f) => setImmediate(f));
  const intake: Task[] = [];
  const workers: Task[] = [];
  const maxInFlight = options.maxInFlight ?? 1;
  let inFlight = 0;
  let turnPending = false;
  /** Intake queries started since the last worker query. */
  let streak = 0;

  function intakeFirst(): boolean {
    return intake.length > 0 && (workers.length === 0 || streak < options.intakePerWorker);
  }

  function startNext(workerMayStart: boolean): void {
    while (inFlight < maxInFlight) {
      if (intakeFirst()) {
        streak++;
        inFlight++;
        intake.shift()!.start();
      } else if (workers.length > 0 && workerMayStart) {
        streak = 0;
        inFlight++;
        workers.shift()!.start();
      } else {
        if (workers.length > 0 && !turnPending) {
          turnPending = true;
          defer(() => {
            turnPending = false;
            startNext(true);
          });
        }
        return;
      }
    }
  }

  return {
    run<T>(cls: GateClass, task: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const queued: Task = {
          start() {
            // Started synchronously (the turn is already taken); one that throws still frees the gate.
            let p: Promise<T>;
            try {
              p = task();
            } catch (err) {
              p = Promise.reject(err instanceof Error ? err : new Error(String(err)));
            }
            void p
              .then(resolve, reject)
              .finally(() => {
                inFlight--;
                startNext(false);
              });
          },
        };
        (cls === 'intake' ? intake : workers).push(queued);
        startNext(false);
      });
    },
  };
}
