// Detection run again over a seller's stored data: an open claim it no longer finds (Amazon paid
// it meanwhile) is withdrawn, with its prompt, and comes back if detection finds it again; an open
// claim whose units were partly paid is asked for the rest only; a claim handed to filing is left alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { detectionCapability } from '../../src/detection/detect-claims.js';
import { rows, type Database } from '../../src/store/db.js';
import { claims, prompts } from '../../src/store/schema/index.js';
import type { CapabilityContext } from '../../src/workflow/capabilities.js';
import { openPglite } from '../support/infra.js';
import { storeLine } from '../support/report-lines.js';

const USER = 'seller_withdraw';
const LEDGER = 'GET_LEDGER_DETAIL_VIEW_DATA.tsv';
const REIMB = 'GET_FBA_REIMBURSEMENTS_DATA.tsv';
const LEDGER_HEADER = 'Date\tFNSKU\tASIN\tMSKU\tTitle\tEvent Type\tReference ID\tQuantity\tFulfillment Center\tDisposition\tReason\tCountry';
const REIMB_HEADER = 'approval-date\treimbursement-id\tcase-id\tamazon-order-id\treason\tsku\tfnsku\tasin\tproduct-name\tcondition\tcurrency-unit\tamount-per-unit\tamount-total\tquantity-reimbursed-cash\tquantity-reimbursed-inventory\tquantity-reimbursed-total\toriginal-reimbursement-id\toriginal-reimbursement-type';
const reimbursement = (id: string, units: number) =>
  `2026-10-20T10:00:00-07:00\t${id}\t\t\tLost_Warehouse\tMSKU-A\tX00A\tB0A\tWidget A\tNewItem\tUSD\t12.40\t${(12.4 * units).toFixed(2)}\t${units}\t0\t${units}\t\t`;

describe('detection withdraws what it no longer finds', () => {
  let database: Database;
  let sync = 0;
  const capability = () => detectionCapability({ db: database.db, asOf: () => '2026-11-30' });
  const ctx = {} as CapabilityContext;

  /** Stores one "sync" of the two reports, as the sync does: one row per line, the header kept. */
  async function store(ledger: string[], reimbursements: string[]): Promise<void> {
    const syncId = `sync_${++sync}`;
    for (const [source, header, lines] of [[LEDGER, LEDGER_HEADER, ledger], [REIMB, REIMB_HEADER, reimbursements]] as const) {
      await rows(database.db, sql`DELETE FROM report_lines WHERE user_id = ${USER} AND source = ${source}`);
      for (const [i, line] of lines.entries()) {
        await storeLine(database.db, { userId: USER, source, syncId, documentId: 'doc', lineNo: i + 2, key: `${syncId}-${source}-${i}`, line });
      }
      await rows(database.db, sql`INSERT INTO sync_sources (sync_id, source, user_id, status, header) VALUES (${syncId}, ${source}, ${USER}, 'done', ${header})`);
    }
  }

  async function run(): Promise<void> {
    const result = await capability().detect(ctx, { userId: USER, sellerId: null, syncId: `sync_${sync}` });
    await database.db.transaction(async (tx) => result.apply?.(tx));
  }

  const lossLines = ['10/05/2026\tX00A\tB0A\tMSKU-A\tWidget A\tAdjustments\tTI-A1\t-3\tPHX3\tSELLABLE\tM\tUS'];
  const lossClaims = () => database.db.select().from(claims).where(eq(claims.type, 'lost_warehouse'));

  beforeAll(async () => {
    database = await openPglite();
  }, 60_000);
  afterAll(async () => database?.close());

  it('stores the loss, then asks only for the units Amazon has not paid', async () => {
    await store(lossLines, []);
    await run();
    const [claim] = await lossClaims();
    expect(claim).toMatchObject({ status: 'detected', quantity: 3 });
    // Routed and prompted meanwhile; Amazon then pays one of the three units.
    // What the seller and the filer added to its details is not detection's to drop.
    const added = { hold: { code: 'low_approval', reason: 'r' }, measurements: { length_mm: 1, width_mm: 2, height_mm: 3, weight_g: 4, measured_at: 'x' }, hold_released: [{ code: 'low_approval' }] };
    await database.db.update(claims).set({ status: 'prompted', details: sql`${claims.details} || ${JSON.stringify(added)}::jsonb` }).where(eq(claims.id, claim!.id));
    await database.db.insert(prompts).values({ id: 'prm_1', userId: USER, claimId: claim!.id, status: 'open', asks: [] });
    await store(lossLines, [reimbursement('R1', 1)]);
    await run();
    const [after] = await lossClaims();
    expect(after).toMatchObject({ id: claim!.id, status: 'prompted', quantity: 2, details: added });
  });

  it('withdraws the claim and its prompt once Amazon has paid every unit', async () => {
    await store(lossLines, [reimbursement('R1', 1), reimbursement('R2', 2)]);
    await run();
    const [claim] = await lossClaims();
    expect(claim?.status).toBe('dismissed');
    expect(claim?.details?.withdrawn).toMatchObject({ reason: 'no_longer_found' });
    const [prompt] = await database.db.select().from(prompts).where(eq(prompts.id, 'prm_1'));
    expect(prompt?.status).toBe('superseded');
  });

  it('brings the claim back when detection finds it again (a reimbursement reversed)', async () => {
    await store(lossLines, [reimbursement('R1', 1)]);
    await run();
    const [claim] = await lossClaims();
    expect(claim).toMatchObject({ status: 'detected', quantity: 2 });
    expect(claim?.details?.withdrawn).toBeUndefined();
  });

  it('leaves alone a claim handed to filing, and a type this run did not look for', async () => {
    const [claim] = await lossClaims();
    await database.db.update(claims).set({ status: 'ready', filingId: 'fil_1' }).where(eq(claims.id, claim!.id));
    await database.db.insert(claims).values({ id: 'clm_fee', userId: USER, type: 'fee_overcharge', status: 'ready', quantity: 1 });
    await store(lossLines, [reimbursement('R1', 1), reimbursement('R2', 2)]);
    await run();
    const [kept] = await lossClaims();
    expect(kept).toMatchObject({ status: 'ready', quantity: 2 });
    const [fee] = await database.db.select().from(claims).where(eq(claims.id, 'clm_fee'));
    expect(fee?.status).toBe('ready');
  });

  it('withdraws nothing when there is no data to judge by', async () => {
    await rows(database.db, sql`DELETE FROM sync_sources`);
    await run();
    const open = await rows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM claims WHERE status <> 'dismissed'`);
    expect(open[0]?.n).toBe(2);
  });
});
