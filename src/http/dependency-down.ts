// Whether a request failed because a service Clario depends on is not answering (PostgreSQL
// restarting or unreachable, the queue's Redis down), rather than through a fault of ours: such a
// failure is a 503 unavailable that the client retries, not a 500.
import { QueueUnavailableError } from '../queue/job-queue.js';

/** Socket errors of a connection refused, cut or never made. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/**
 * PostgreSQL's: connection exceptions (class 08), the server shutting down or starting up
 * (57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now), too many connections.
 */
const POSTGRES_CODES = new Set(['08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03', '53300']);

/** What node-postgres and its pool say of a connection that ended or could not be had in time. */
const POSTGRES_MESSAGES = [
  // "… unexpectedly", "… due to connection timeout"
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
];

export function dependencyDown(err: unknown): boolean {
  // Drivers and drizzle wrap the error that says it (a query error's cause).
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof QueueUnavailableError) return true;
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || POSTGRES_CODES.has(code))) return true;
    if (typeof message === 'string' && POSTGRES_MESSAGES.some((m) => message.startsWith(m))) return true;
    // Several addresses tried (localhost: ::1 and 127.0.0.1), each refused.
    if (e instanceof AggregateError && e.errors.some((x) => dependencyDown(x))) return true;
  }
  return false;
}
