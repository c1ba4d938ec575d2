/** The slice of a logger (pino's) that the workflow needs. */
export interface Log {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const silentLog: Log = { debug() {}, info() {}, warn() {}, error() {} };

/** What the engine reports for metrics, kept free of any metrics library. */
export interface WorkflowObserver {
  transition(phase: number, outcome: 'completed' | 'retried' | 'failed' | 'lost', durationMs: number): void;
}

export const noObserver: WorkflowObserver = { transition() {} };
