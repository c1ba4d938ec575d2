/**
 * The seller folder's JSON files, read once per simulator and seller. They are small next to
 * the TSV reports (one object per shipment or financial event), so holding them is fine.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { transactionsOf } from './to-transactions.js';

export interface InboundFile {
  readonly shipments: readonly Record<string, unknown>[];
  readonly items: readonly Record<string, unknown>[];
}

/** Amazon's FinancialEvents object: list name → events. */
export type FinancialEventsFile = Readonly<Record<string, readonly Record<string, unknown>[]>>;

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function objects(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => !!v && typeof v === 'object') : [];
}

export class FolderJson {
  private readonly inbound = new Map<string, Promise<InboundFile>>();
  private readonly finances = new Map<string, Promise<FinancialEventsFile>>();
  private readonly transactions = new Map<string, Promise<readonly Record<string, unknown>[]>>();

  inboundOf(folder: string): Promise<InboundFile> {
    let file = this.inbound.get(folder);
    if (!file) {
      file = readJson(join(folder, 'inbound-shipments.json')).then((v) => {
        const o = (v ?? {}) as Record<string, unknown>;
        return { shipments: objects(o.shipments), items: objects(o.items) };
      });
      this.inbound.set(folder, file);
    }
    return file;
  }

  financesOf(folder: string): Promise<FinancialEventsFile> {
    let file = this.finances.get(folder);
    if (!file) {
      file = readJson(join(folder, 'financial-events.json')).then((v) => {
        // DETECTION.md stores the FinancialEvents object itself; accept a whole API answer too.
        let o = (v ?? {}) as Record<string, unknown>;
        if (o.payload && typeof o.payload === 'object') o = o.payload as Record<string, unknown>;
        if (o.FinancialEvents && typeof o.FinancialEvents === 'object') o = o.FinancialEvents as Record<string, unknown>;
        const lists: Record<string, Record<string, unknown>[]> = {};
        for (const [name, list] of Object.entries(o)) if (Array.isArray(list)) lists[name] = objects(list);
        return lists;
      });
      this.finances.set(folder, file);
    }
    return file;
  }

  /**
   * Finances 2024-06-19 transactions: the folder's transactions.json when it has one (its
   * `transactions`, or a whole API answer), else made from financial-events.json so both
   * versions serve the same money.
   */
  transactionsOf(folder: string, sellerId: string): Promise<readonly Record<string, unknown>[]> {
    const key = `${folder}\u0000${sellerId}`;
    let file = this.transactions.get(key);
    if (!file) {
      file = readJson(join(folder, 'transactions.json')).then(async (v) => {
        if (v === undefined) return transactionsOf(await this.financesOf(folder), sellerId);
        let o = v as Record<string, unknown>;
        if (o.payload && typeof o.payload === 'object') o = o.payload as Record<string, unknown>;
        return objects(o.transactions);
      });
      this.transactions.set(key, file);
    }
    return file;
  }
}
