/**
 * The bundled Amazon: Login with Amazon, SP-API Reports/Finances (2024-06-19 and v0)/Inbound and a case log, on one
 * Fastify app with the real wire formats, so Clario runs the same code against it as against
 * Amazon. State lives in memory (and what Amazon would remember, in `stateFile` when given); seller
 * data is read from each seller's folder.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { registerCases, type OnDecision } from './cases.js';
import { systemClock, type Clock } from './simulated-clock.js';
import { registerFinances } from './finances.js';
import { FolderJson } from './folder-json.js';
import { registerInbound } from './inbound.js';
import { registerOAuth } from './oauth.js';
import { registerReports } from './reports.js';
import { SimulatorState, type SimulatedSeller } from './state.js';
import { createStateSaver, loadState } from './state-file.js';
import { registerTransactions } from './transactions.js';
import type { UsagePlanOverrides } from './usage-plans.js';
import { sendErrors } from './wire.js';

export interface SimulatorOptions {
  /** selling_partner_id → the seller's folder of DETECTION.md files. */
  readonly sellers: ReadonlyMap<string, SimulatedSeller>;
  /** The LWA client credentials the token endpoint accepts. */
  readonly clientId: string;
  readonly clientSecret: string;
  /** Public origin for document URLs; default: the origin each request came to. */
  readonly baseUrl?: string;
  /** Answer 429 when a usage-plan bucket is empty (default true). */
  readonly rateLimits?: boolean;
  /** Usage plans above Amazon's defaults, announced and enforced for every seller (as Amazon grants some). */
  readonly usagePlans?: UsagePlanOverrides;
  readonly clock?: Clock;
  /** getReport polls before a report is done (default 2: IN_QUEUE, then IN_PROGRESS). */
  readonly reportPolls?: number;
  /** Inbound shipments or items per page (default 50). */
  readonly inboundPageSize?: number;
  /** Finances 2024-06-19 transactions per page (default 100). */
  readonly transactionsPageSize?: number;
  /** Finances v0 answers as a version Amazon removed (403), as it will once v0 is retired. */
  readonly financesV0Removed?: boolean;
  /** Serve Finances 2024-06-19 (default true); false answers 404, as before Amazon offered it. */
  readonly financesTransactions?: boolean;
  /** Called once a case is decided, so the embedded Clario can look at once instead of at its next poll. */
  readonly onDecision?: OnDecision;
  /**
   * Where to keep what Amazon would remember across a restart (grants, signed-in accounts, the
   * case log; state-file.ts). Without it a restart forgets them, like a fresh sandbox.
   */
  readonly stateFile?: string;
}

export interface Simulator {
  readonly app: FastifyInstance;
  /** Revokes a seller's grant, as when the seller removes the app in Seller Central. */
  revokeSeller(sellerId: string): void;
  /** Cases nobody has decided yet, oldest first: what "Amazon" still has to answer. */
  openCases(): Array<{ readonly caseId: string; readonly createdAt: string; readonly request: Readonly<Record<string, unknown>> }>;
  close(): Promise<void>;
}

export { SIMULATOR_APPLICATION_ID, SIMULATOR_CLIENT_ID, SIMULATOR_CLIENT_SECRET } from './options.js';

export function createSimulator(options: SimulatorOptions): Simulator {
  const clock = options.clock ?? systemClock;
  const state = new SimulatorState(options.sellers, clock, options.usagePlans);
  if (options.stateFile) loadState(options.stateFile, state);
  const save = options.stateFile ? createStateSaver(options.stateFile, state) : () => false;
  // No request logging: URLs and bodies here carry codes and tokens.
  // Closing cuts every connection: Node counts a client's socket that has not sent a request yet
  // (a pooled keep-alive connection, a request aborted while connecting) as busy, and would wait
  // for its 60 s header timeout before the close resolved.
  const app = Fastify({ logger: false, forceCloseConnections: true });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8'))));
  });
  app.setErrorHandler((err: { statusCode?: number; message?: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status < 500) return sendErrors(reply, status, 'InvalidInput', err.message ?? 'Invalid request');
    return sendErrors(reply, 500, 'InternalFailure', 'We encountered an internal error. Please try again.');
  });
  // Whatever a request changed is saved before its answer leaves: a grant the answer hands out is
  // never one a restart forgets. A failed save answers 500 instead.
  if (options.stateFile) {
    app.addHook('onSend', async (req, _reply, payload) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') save();
      return payload;
    });
  }
  app.setNotFoundHandler((req, reply) => sendErrors(reply, 404, 'NotFound', `Resource ${req.method} ${req.url.split('?')[0] ?? ''} not found`));

  const guard = { state, rateLimits: options.rateLimits ?? true };
  const json = new FolderJson();
  registerOAuth(app, { state, clientId: options.clientId, clientSecret: options.clientSecret });
  registerReports(app, { ...guard, reportPolls: options.reportPolls ?? 2, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) });
  registerFinances(app, { ...guard, json, removed: options.financesV0Removed ?? false });
  if (options.financesTransactions ?? true) registerTransactions(app, { ...guard, json, pageSize: options.transactionsPageSize ?? 100 });
  registerInbound(app, { ...guard, json, pageSize: options.inboundPageSize ?? 50 });
  registerCases(app, { ...guard, onDecision: options.onDecision });

  return {
    app,
    revokeSeller: (sellerId) => {
      state.revokeSeller(sellerId);
      save();
    },
    openCases: () =>
      [...state.cases.values()]
        .filter((c) => c.status === 'open')
        .sort((a, b) => (a.created_at < b.created_at ? -1 : 1))
        .map((c) => ({ caseId: c.case_id, createdAt: c.created_at, request: c.request })),
    close: () => app.close(),
  };
}

export interface StartedSimulator extends Simulator {
  /** http://host:port of the listening simulator. */
  readonly url: string;
}

/** Starts a simulator listening on `port` (0 picks a free one) on the loopback interface by default. */
export async function startSimulator(port: number, options: SimulatorOptions & { readonly host?: string }): Promise<StartedSimulator> {
  const simulator = createSimulator(options);
  const host = options.host ?? '127.0.0.1';
  await simulator.app.listen({ port, host });
  const address = simulator.app.server.address();
  const actualPort = address && typeof address === 'object' ? address.port : port;
  return { ...simulator, url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}` };
}
