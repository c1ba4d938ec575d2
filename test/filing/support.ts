// A Clario (PGlite, real engine) with the real phase 5 capability, plus the Amazon simulator's
// case API reached with a connected seller's access token: the filer and the payout monitor run
// against both exactly as in production, driven round by round.
import { onTestFinished } from 'vitest';
import { sql } from 'drizzle-orm';
import { createCaseApi, type CaseApi } from '../../src/filing/case-api.js';
import type { ClaimsChannel } from '../../src/filing/channel.js';
import { createFiler, type FilerOptions } from '../../src/filing/file-claims.js';
import { payoutsCapability } from '../../src/payouts/capability.js';
import { createPayoutMonitor } from '../../src/payouts/monitor.js';
import { REIMBURSEMENTS_SOURCE } from '../../src/payouts/new-lines.js';
import { rows } from '../../src/store/db.js';
import { lineWriter } from '../../src/sync/store-lines.js';
import { claims } from '../../src/store/schema/claims-tables.js';
import { testCapabilities } from '../support/capabilities.js';
import { startTestClario, type TestClario, type TestClarioOptions } from '../support/clario.js';
import type { Capabilities } from '../../src/workflow/capabilities.js';
import { connect, lwaFor, simulator, testClock } from '../simulator/server/harness.js';

export async function filingWorld(
  o: { wrap?: (api: CaseApi) => CaseApi; env?: Record<string, string>; store?: 'pglite' | 'postgres'; capabilities?: Partial<Capabilities>; plugins?: TestClarioOptions['plugins']; stripe?: TestClarioOptions['stripe']; now?: TestClarioOptions['now'] } = {},
) {
  const clock = testClock();
  const sim = await simulator({ clock, reportPolls: 0 });
  const lwa = lwaFor(sim, { clock });
  const refreshToken = await connect(sim, lwa);
  const t = await startTestClario({
    capabilities: { ...testCapabilities(), payouts: payoutsCapability(), ...o.capabilities },
    ...(o.env ? { env: o.env } : {}),
    ...(o.store ? { store: o.store } : {}),
    ...(o.plugins ? { plugins: o.plugins } : {}),
    ...(o.stripe ? { stripe: o.stripe } : {}),
    ...(o.now ? { now: o.now } : {}),
  });
  onTestFinished(() => t.close());
  const api = createCaseApi({ baseUrl: sim.url, accessToken: lwa.tokenSource(refreshToken) });
  const channel: ClaimsChannel = { kind: 'simulator', caseApi: () => Promise.resolve(o.wrap ? o.wrap(api) : api) };
  const db = t.clario.database.db;
  const log = t.clario.logger;
  const filer = (options: Partial<FilerOptions> = {}) =>
    createFiler({ database: t.clario.database, engine: t.clario.engine, channel, maxItemsPerCase: 5, maxCasesPerDay: 10, intervalMs: 60_000, log, ...options });
  const monitor = (options: { channel?: ClaimsChannel } = {}) =>
    createPayoutMonitor({ database: t.clario.database, engine: t.clario.engine, channel: options.channel ?? channel, intervalMs: 60_000, log });
  /** Amazon's side: decide a case (no seller token). */
  const decide = async (caseId: string, decision: unknown) => {
    const res = await fetch(`${sim.url}/cases/${caseId}/decision`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(decision) });
    return (await res.json()) as any;
  };
  /** Every case the seller has at Amazon. */
  const casesAtAmazon = async () =>
    (await fetch(`${sim.url}/cases`, { headers: { 'x-amz-access-token': await lwa.accessToken(refreshToken) } }).then((r) => r.json() as Promise<{ cases: any[] }>)).cases;
  return { t, sim, api, channel, db, filer, monitor, decide, casesAtAmazon, lwa, refreshToken };
}

let n = 0;
export async function readyClaim(
  db: TestClario['clario']['database']['db'],
  userId: string,
  o: { type?: string; deadline?: string | null; sku?: string; fnsku?: string; shipmentId?: string; orderId?: string; quantity?: number; amountMinor?: number; currency?: string; status?: 'ready' | 'detected' } = {},
) {
  n++;
  const id = `clm_t${n}_${Math.random().toString(36).slice(2, 8)}`;
  const sku = o.sku ?? `SKU-${n}`;
  const fnsku = o.fnsku ?? `X00${n}`;
  await db.insert(claims).values({
    id,
    userId,
    type: o.type ?? 'lost_warehouse',
    status: o.status ?? 'ready',
    amountMinor: o.amountMinor ?? 1240 * n,
    currency: o.currency ?? 'USD',
    quantity: o.quantity ?? 1,
    deadline: o.deadline === undefined ? '2099-03-01' : o.deadline,
    details: { sku, fnsku, asin: `B0${n}`, key: { fnsku, ...(o.shipmentId ? { shipment_id: o.shipmentId } : {}), ...(o.orderId ? { order_id: o.orderId, sku } : {}) }, sources: [{ file: 'GET_LEDGER_DETAIL_VIEW_DATA.tsv', document_id: 'DOC-1', line: n }] },
  });
  return id;
}

export async function events(db: TestClario['clario']['database']['db'], phase: number, userId: string) {
  return rows<{ idempotency_key: string; claim_id: string; case_id: string; payload: Record<string, any>; status: string }>(
    db,
    sql`SELECT idempotency_key, claim_id, case_id, payload, status FROM phase_events WHERE phase = ${phase} AND user_id = ${userId} ORDER BY seq`,
  );
}

export const HEADER =
  'approval-date\treimbursement-id\tcase-id\tamazon-order-id\treason\tsku\tfnsku\tasin\tproduct-name\tcondition\tcurrency-unit\tamount-per-unit\tamount-total\tquantity-reimbursed-cash\tquantity-reimbursed-inventory\tquantity-reimbursed-total\toriginal-reimbursement-id\toriginal-reimbursement-type';

export type World = Awaited<ReturnType<typeof filingWorld>>;

/** Stores report lines the way a sync does: report_lines, then the source done with its header. */
export async function storeReport(w: World, userId: string, syncId: string, header: string, lines: readonly string[]) {
  const writer = lineWriter(w.t.clario.database.db, { userId, source: REIMBURSEMENTS_SOURCE, syncId, documentId: `doc-${syncId}` });
  let n = 1;
  for (const l of lines) await writer.add(l, ++n);
  await writer.finish();
  await rows(w.t.clario.database.db, sql`INSERT INTO sync_sources (sync_id, source, user_id, status, header) VALUES (${syncId}, ${REIMBURSEMENTS_SOURCE}, ${userId}, 'done', ${header})`);
}


/** A reimbursements report line; unnamed columns take a plain one-unit USD line's values. */
export const line = (o: Record<string, string>) =>
  HEADER.split('\t')
    .map((h) => o[h] ?? ({ 'approval-date': '2027-01-10T10:00:00+00:00', 'currency-unit': 'USD', condition: 'NewItem', 'quantity-reimbursed-cash': '1', 'quantity-reimbursed-inventory': '0', 'quantity-reimbursed-total': '1' } as Record<string, string>)[h] ?? '')
    .join('\t');

/** The case API as a worker that dies right after Amazon took the case, before recording it: `times` times. */
export function crashAfterFiling(times = 1): (api: CaseApi) => CaseApi {
  let crashes = times;
  return (api) => ({
    ...api,
    async file(request, key) {
      const filed = await api.file(request, key);
      if (crashes-- > 0) throw new Error('the worker died before recording the case');
      return filed;
    },
  });
}
