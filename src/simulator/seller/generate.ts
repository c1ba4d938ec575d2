import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { addBackground } from './background.js';
import { dayOfIso } from './calendar.js';
import { MARKETPLACES, ProductFactory, type MarketplaceCode } from './catalog.js';
import { plantBusyLosses, plantDamaged, plantLost, plantReversals, plantUnderpaid } from './plant-warehouse.js';
import { plantDamagedReturns, plantFees, plantRefunds, plantReplacements } from './plant-orders.js';
import { plantInbound, plantRemovalParcels, plantRemovals } from './plant-stock-moves.js';
import { Planter } from './planter.js';
import { Random } from './random.js';
import { LineSink } from './sink.js';
import { writeFinancialEvents, writeInbound } from './write-json.js';
import { writeLedger } from './write-ledger.js';
import { writeRemovalReceipts, writeRemovalShipments } from './write-removal-parcels.js';
import { writeCosts, writeCustomerShipments, writeFeePreview, writeReimbursements, writeRemovals, writeReplacements, writeReturns } from './write-reports.js';
import { World, type ExpectedClaim, type PlantedNegative } from './world.js';

export interface SellerOptions {
  readonly seed: number;
  /** The day the seller's files are downloaded: nothing after it exists. YYYY-MM-DD. */
  readonly asOf: string;
  /** Ordinary SKUs (default 30); planted SKUs (about 50, more with more stores) come on top, one per scenario. */
  readonly skus?: number;
  /** Months of activity before as-of (default 12). */
  readonly months?: number;
  /** At least this many ledger rows (default 3,000); ordinary filler events make up the difference. */
  readonly ledgerRows?: number;
  /** Stores the seller sells in (default US and CA); the first gets every planted scenario, the others a positive of most types. */
  readonly marketplaces?: readonly MarketplaceCode[];
}

export interface GeneratedSeller {
  /** The names of the files written into the folder, ground-truth.jsonl included. */
  readonly files: string[];
  /** Every claim detection should find, as written to ground-truth.jsonl. */
  readonly groundTruth: ExpectedClaim[];
  /** Planted look-alikes that must not be claimed (found later, reimbursed, customer-damaged, ...). */
  readonly negatives: PlantedNegative[];
  /** Data rows per file (JSON files: elements); header lines are not counted. */
  readonly rows: Record<string, number>;
}

export const GROUND_TRUTH_FILE = 'ground-truth.jsonl';

// Orders drive most of the structural rows; beyond this the ledger grows by filler alone, so the
// other files (and the generator's memory) stay bounded however many ledger rows are asked for.
const MAX_ORDERS = 40_000;

/**
 * Writes a deterministic demo seller into `outDir`: every input file of DETECTION.md in Amazon's
 * layout, the seller's costs.csv and removal-receipts.csv, and ground-truth.jsonl. The same options give byte-identical files.
 */
export async function generateSeller(options: SellerOptions, outDir: string, opts: { gzip?: boolean } = {}): Promise<GeneratedSeller> {
  const asOf = dayOfIso(options.asOf);
  const months = options.months ?? 12;
  const ledgerRows = options.ledgerRows ?? 3_000;
  const skus = options.skus ?? 30;
  const codes = options.marketplaces ?? ['US', 'CA'];
  if (codes.length === 0) throw new RangeError('at least one marketplace');
  if (!Number.isSafeInteger(options.seed)) throw new RangeError('seed must be an integer');
  const markets = [...new Set(codes)].map((c) => MARKETPLACES[c]);
  const [main, ...others] = markets as [(typeof markets)[number], ...typeof markets];

  const world = new World(options.seed, asOf, asOf - Math.round(months * 30.44));
  const factory = new ProductFactory(Random.stream(options.seed, 'catalog'), world.ids);
  for (let i = 0; i < skus; i++) world.products.push(factory.make(markets[i % markets.length]!, { planted: false }));

  const planter = new Planter(world, Random.stream(options.seed, 'plant'), factory);
  plantLost(planter, main, others);
  plantDamaged(planter, main, others);
  plantUnderpaid(planter, main, others);
  plantInbound(planter, main, others);
  plantRemovals(planter, main, others);
  plantRefunds(planter, main, others);
  plantDamagedReturns(planter, main);
  plantFees(planter, main, others);
  // Version 2's scenarios come last, so the ones above keep their random draws.
  plantBusyLosses(planter, main);
  plantReplacements(planter, main, others);
  plantRemovalParcels(planter, main, others);
  plantReversals(planter, main, others);
  addBackground(world, markets, Math.min(MAX_ORDERS, Math.max(300, Math.round(ledgerRows * 0.4))));

  await mkdir(outDir, { recursive: true });
  const suffix = opts.gzip ? '.gz' : '';
  const files: string[] = [];
  const rows: Record<string, number> = {};
  const write = async (name: string, body: (sink: LineSink) => Promise<number | void>): Promise<void> => {
    const fileName = `${name}${suffix}`;
    const sink = new LineSink(join(outDir, fileName), opts.gzip ?? false);
    const counted = await body(sink);
    await sink.close();
    files.push(fileName);
    rows[fileName] = typeof counted === 'number' ? counted : sink.count - 1;
  };

  await write('costs.csv', (s) => writeCosts(world, s));
  await write('GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA.tsv', (s) => writeFeePreview(world, s));
  await write('inbound-shipments.json', async (s) => {
    await writeInbound(world, s);
    return world.inbound.length + world.inbound.reduce((n, x) => n + x.items.length, 0);
  });
  await write('financial-events.json', (s) => writeFinancialEvents(world, s));
  await write('GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA.tsv', (s) => writeReturns(world, s));
  await write('GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA.tsv', (s) => writeRemovals(world, s));
  await write('GET_FBA_REIMBURSEMENTS_DATA.tsv', (s) => writeReimbursements(world, s));
  await write('GET_LEDGER_DETAIL_VIEW_DATA.tsv', (s) => writeLedger(world, s, ledgerRows));
  await write('GET_AMAZON_FULFILLED_SHIPMENTS_DATA_GENERAL.tsv', (s) => writeCustomerShipments(world, s));
  await write('GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA.tsv', (s) => writeRemovalShipments(world, s));
  await write('GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA.tsv', (s) => writeReplacements(world, s));
  // The seller's own record, not Amazon's: Clario gets it by upload (PUT .../removal-receipts), never from the simulator.
  await write('removal-receipts.csv', (s) => writeRemovalReceipts(world, s));

  const groundTruth = world.expected;
  await writeFile(join(outDir, GROUND_TRUTH_FILE), groundTruth.map((c) => JSON.stringify(c)).join('\n') + '\n');
  files.push(GROUND_TRUTH_FILE);
  rows[GROUND_TRUTH_FILE] = groundTruth.length;
  return { files, groundTruth, negatives: world.negatives, rows };
}
