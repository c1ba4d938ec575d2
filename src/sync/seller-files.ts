// Files a seller gives Clario rather than Amazon: unit costs (costs.csv), which value lost and
// damaged units and reveal underpaid reimbursements. Each upload replaces the previous one.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { isCurrency } from '../domain/money.js';
import type { Runner } from '../store/db.js';
import type { SyncSource } from './sources.js';
import { lineWriter } from './store-lines.js';

export const SELLER_SOURCES: readonly SyncSource[] = [{ file: 'costs.csv', kind: 'report', snapshot: true }];

export interface UploadReport {
  readonly uploadId: string;
  readonly rows: number;
  readonly problems: ReadonlyArray<{ line: number; message: string }>;
}

export class UploadError extends Error {
  override readonly name = 'UploadError';
}

const norm = (h: string) => h.trim().toLowerCase().replace(/[\s_-]/g, '');

/** Checks and stores a costs.csv (`sku,unit_cost,currency`); bad lines are reported and left out. */
export async function storeCosts(db: Runner, userId: string, text: string): Promise<UploadReport> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = lines[0] ?? '';
  const cols = header.split(',').map(norm);
  const at = { sku: cols.indexOf('sku'), cost: cols.indexOf('unitcost'), currency: cols.indexOf('currency') };
  if (at.sku < 0 || at.cost < 0 || at.currency < 0) throw new UploadError('the first line must name the columns sku, unit_cost and currency');
  const uploadId = `upload_${randomUUID()}`;
  const writer = lineWriter(db, { userId, source: 'costs.csv', syncId: uploadId, documentId: uploadId, perSync: true });
  const problems: Array<{ line: number; message: string }> = [];
  for (const [i, line] of lines.entries()) {
    if (i === 0 || line.trim() === '') continue;
    const f = line.split(',');
    const sku = f[at.sku]?.trim();
    const cost = f[at.cost]?.trim() ?? '';
    const currency = f[at.currency]?.trim() ?? '';
    if (!sku) problems.push({ line: i + 1, message: 'no sku' });
    else if (!/^\d+(\.\d+)?$/.test(cost)) problems.push({ line: i + 1, message: `unit_cost ${JSON.stringify(cost)} is not a decimal amount` });
    else if (!isCurrency(currency)) problems.push({ line: i + 1, message: `currency ${JSON.stringify(currency)} is not an ISO 4217 code` });
    else await writer.add(line, i + 1);
  }
  const { rows } = await writer.finish();
  if (rows === 0) throw new UploadError(`no usable line (${problems.length} refused)`);
  await db.run(
    sql`INSERT INTO sync_sources (sync_id, source, user_id, status, header, document_id, rows, new_rows)
        VALUES (${uploadId}, 'costs.csv', ${userId}, 'done', ${header}, ${uploadId}, ${rows}::integer, ${rows}::integer)`,
  );
  return { uploadId, rows, problems };
}
