// Prometheus metrics, on a registry of our own (no global state): transitions by phase and
// outcome, phase durations, queue depth, WebSocket clients, and HTTP requests by route template.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { PHASE_NUMBERS } from '../domain/phase.js';
import type { JobQueue, QueueStats } from '../queue/job-queue.js';
import type { WorkflowObserver } from '../workflow/log.js';
import type { RequestObserver } from '../http/observe.js';

export interface Metrics extends WorkflowObserver, RequestObserver {
  readonly registry: Registry;
  watchQueue(queue: JobQueue): void;
  watchClients(count: () => number): void;
  watchWorkflow(health: () => Promise<WorkflowHealth>): void;
  /** Open WebSocket sockets (handshakes included), read at scrape time. */
  watchSockets(open: () => number): void;
  /** An upgrade refused: over a cap, or a session cookie from a foreign origin. */
  websocketRefused(reason: string): void;
}

export interface WorkflowHealth {
  readonly failed: number;
  readonly running: number;
  readonly pending: number;
  /** By phase number: how long its oldest running attempt has run (absent: none running). */
  readonly oldestRunningSeconds: ReadonlyMap<number, number>;
}

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'clario_' });
  const transitions = new Counter({
    name: 'clario_phase_transitions_total',
    help: 'Phase attempts that ended, by phase and outcome (completed, retried, failed, lost)',
    labelNames: ['phase', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'clario_phase_duration_seconds',
    help: 'How long a phase attempt ran',
    labelNames: ['phase'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  let queue: JobQueue | undefined;
  let clients: (() => number) | undefined;
  let health: (() => Promise<WorkflowHealth>) | undefined;
  // One database read per scrape feeds both workflow gauges.
  let latest: Promise<WorkflowHealth | undefined> | undefined;
  const readHealth = () => (latest ??= (health?.() ?? Promise.resolve(undefined)).finally(() => setImmediate(() => (latest = undefined))));
  new Gauge({
    name: 'clario_phase_events',
    help: 'Phase events by status; failed ones are parked (dead letters) until replayed',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const h = await readHealth();
      if (!h) return;
      this.set({ status: 'failed' }, h.failed);
      this.set({ status: 'running' }, h.running);
      this.set({ status: 'pending' }, h.pending);
    },
  });
  // By phase: a sync (phase 1) may run for hours, the other phases for minutes; one alert cannot
  // judge both (ops/alerts.yml).
  new Gauge({
    name: 'clario_phase_oldest_running_seconds',
    help: 'How long the longest-running attempt of each phase has been running (0: none running)',
    labelNames: ['phase'] as const,
    registers: [registry],
    async collect() {
      const h = await readHealth();
      for (const phase of PHASE_NUMBERS) this.set({ phase: String(phase) }, h?.oldestRunningSeconds.get(phase) ?? 0);
    },
  });
  // One read of the queue per scrape feeds both queue gauges; a queue that cannot be read (Redis
  // down: stats() gives up within its bound) leaves the counts out and says so, and the rest of
  // the scrape is still answered.
  let latestQueue: Promise<QueueStats | undefined> | undefined;
  const readQueue = () =>
    (latestQueue ??= (queue ? queue.stats() : Promise.resolve(undefined)).catch(() => undefined).finally(() => setImmediate(() => (latestQueue = undefined))));
  new Gauge({
    name: 'clario_queue_up',
    help: 'Whether this scrape could read the queue (1) or not (0: Redis down; clario_queue_jobs is then left out)',
    registers: [registry],
    async collect() {
      if (!queue) return;
      this.set((await readQueue()) ? 1 : 0);
    },
  });
  new Gauge({
    name: 'clario_queue_jobs',
    help: 'Phase events in the queue, by state',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const s = await readQueue();
      if (!s) return;
      this.set({ state: 'waiting' }, s.waiting);
      this.set({ state: 'delayed' }, s.delayed);
      this.set({ state: 'active' }, s.active);
      this.set({ state: 'failed' }, s.failed);
    },
  });
  new Gauge({
    name: 'clario_websocket_clients',
    help: 'Open seller WebSocket connections on this process',
    registers: [registry],
    collect() {
      this.set(clients?.() ?? 0);
    },
  });
  let sockets: (() => number) | undefined;
  new Gauge({
    name: 'clario_websocket_sockets',
    help: 'Open WebSocket sockets on this process, handshakes included (capped by WS_MAX_CONNECTIONS)',
    registers: [registry],
    collect() {
      this.set(sockets?.() ?? 0);
    },
  });
  const refused = new Counter({
    name: 'clario_websocket_refused_total',
    help: 'WebSocket upgrades refused, by reason (capacity, user_capacity, origin)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  // Labels stay bounded whatever callers send: the route template (never the URL), a known
  // method, the status code.
  const requests = new Counter({
    name: 'clario_http_requests_total',
    help: 'HTTP requests answered, by method, route template (unmatched for 404s) and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const requestDuration = new Histogram({
    name: 'clario_http_request_duration_seconds',
    help: 'Time from a request arriving to its answer being sent, by method, route template and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    request(method, route, status, durationSeconds) {
      const labels = { method: HTTP_METHODS.has(method) ? method : 'OTHER', route, status: String(status) };
      requests.inc(labels);
      requestDuration.observe(labels, durationSeconds);
    },
    transition(phase, outcome, durationMs) {
      transitions.inc({ phase: String(phase), outcome });
      duration.observe({ phase: String(phase) }, durationMs / 1000);
    },
    watchQueue(q) {
      queue = q;
    },
    watchClients(count) {
      clients = count;
    },
    watchWorkflow(read) {
      health = read;
    },
    watchSockets(open) {
      sockets = open;
    },
    websocketRefused(reason) {
      refused.inc({ reason });
    },
  };
}
