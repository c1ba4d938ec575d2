/**
 * Fulfillment Inbound v0 reads over the folder's inbound-shipments.json, with Amazon's QueryType
 * rules (SHIPMENT needs a status or id list, DATE_RANGE both dates, NEXT_TOKEN a token).
 * InboundShipmentInfo has no update time, so the date range applies only to shipments whose
 * file entry carries a `LastUpdatedDate` (a simulator extension); the others always match.
 * Answers follow Amazon's model even when the file is sparse: a shipment without the fields the
 * model requires (ShipFromAddress, AreCasesRequired) gets the simulated seller's own.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { FolderJson } from './folder-json.js';
import { dateParam, guard, invalidInput, param, type GuardOptions } from './wire.js';

/** Amazon's ShipmentStatus values (Fulfillment Inbound v0); any other is refused. */
const SHIPMENT_STATUSES: readonly string[] = [
  'WORKING', 'READY_TO_SHIP', 'SHIPPED', 'RECEIVING', 'CANCELLED', 'DELETED', 'CLOSED', 'ERROR', 'IN_TRANSIT', 'DELIVERED', 'CHECKED_IN',
];

export interface InboundOptions extends GuardOptions {
  readonly json: FolderJson;
  readonly pageSize: number;
}

interface Selection {
  readonly statuses?: readonly string[];
  readonly ids?: readonly string[];
  readonly after?: number;
  readonly before?: number;
  readonly offset: number;
}

function list(query: unknown, name: string): string[] | undefined {
  const text = param(query, name);
  return text === undefined ? undefined : text.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

export function registerInbound(app: FastifyInstance, options: InboundOptions): void {
  const { state } = options;

  /** Reads the query into a selection, or answers 400 and returns undefined. */
  function selection(query: unknown, sellerId: string, reply: FastifyReply, allowShipment: boolean): Selection | undefined {
    if (!param(query, 'MarketplaceId')) return void invalidInput(reply, 'MarketplaceId is required');
    const type = param(query, 'QueryType');
    if (type === 'NEXT_TOKEN') {
      const token = param(query, 'NextToken');
      const saved = token ? state.readPageToken(sellerId, token) : undefined;
      return saved ? (saved as unknown as Selection) : void invalidInput(reply, 'Invalid NextToken');
    }
    const after = dateParam(query, 'LastUpdatedAfter');
    const before = dateParam(query, 'LastUpdatedBefore');
    if (Number.isNaN(after) || Number.isNaN(before)) return void invalidInput(reply, 'LastUpdatedAfter and LastUpdatedBefore must be ISO 8601 date-times');
    if (type === 'DATE_RANGE') {
      if (after === undefined || before === undefined) return void invalidInput(reply, 'LastUpdatedAfter and LastUpdatedBefore are required when QueryType is DATE_RANGE');
      if (after > before) return void invalidInput(reply, 'LastUpdatedAfter must be before LastUpdatedBefore');
    } else if (type === 'SHIPMENT' && allowShipment) {
      // Handled below: needs a status or an id list.
    } else {
      return void invalidInput(reply, `QueryType must be ${allowShipment ? 'SHIPMENT, ' : ''}DATE_RANGE or NEXT_TOKEN`);
    }
    const statuses = list(query, 'ShipmentStatusList');
    const ids = list(query, 'ShipmentIdList');
    if (type === 'SHIPMENT' && !statuses?.length && !ids?.length) return void invalidInput(reply, 'ShipmentStatusList or ShipmentIdList is required when QueryType is SHIPMENT');
    const unknown = statuses?.find((s) => !SHIPMENT_STATUSES.includes(s));
    if (unknown) return void invalidInput(reply, `Invalid ShipmentStatus: ${unknown}`);
    return { ...(statuses ? { statuses } : {}), ...(ids ? { ids } : {}), ...(after !== undefined ? { after } : {}), ...(before !== undefined ? { before } : {}), offset: 0 };
  }

  function matches(shipment: Record<string, unknown>, s: Selection): boolean {
    if (s.statuses && !s.statuses.includes(String(shipment.ShipmentStatus))) return false;
    if (s.ids && !s.ids.includes(String(shipment.ShipmentId))) return false;
    const updated = typeof shipment.LastUpdatedDate === 'string' ? Date.parse(shipment.LastUpdatedDate) : Number.NaN;
    if (Number.isNaN(updated)) return true;
    return (s.after === undefined || updated >= s.after) && (s.before === undefined || updated <= s.before);
  }

  function pageOf<T>(rows: readonly T[], s: Selection, sellerId: string): { rows: T[]; nextToken?: string } {
    const rowsOut = rows.slice(s.offset, s.offset + options.pageSize);
    const next = s.offset + rowsOut.length;
    return { rows: rowsOut, ...(next < rows.length ? { nextToken: state.pageToken(sellerId, { ...s, offset: next }) } : {}) };
  }

  app.get('/fba/inbound/v0/shipments', async (req, reply) => {
    const sellerId = guard(req, reply, options, 'getShipments');
    if (!sellerId) return reply;
    const s = selection(req.query, sellerId, reply, true);
    if (!s) return reply;
    const seller = state.sellers.get(sellerId);
    const { shipments } = seller ? await options.json.inboundOf(seller.folder) : { shipments: [] };
    const page = pageOf(shipments.filter((sh) => matches(sh, s)), s, sellerId);
    return reply.send({ payload: { ShipmentData: page.rows.map(asAmazonSends), ...(page.nextToken ? { NextToken: page.nextToken } : {}) } });
  });

  app.get('/fba/inbound/v0/shipments/:shipmentId/items', async (req, reply) => {
    const sellerId = guard(req, reply, options, 'getShipmentItemsByShipmentId');
    if (!sellerId) return reply;
    // MarketplaceId is optional (and deprecated) for this operation, unlike the other two.
    const { shipmentId } = req.params as { shipmentId: string };
    const seller = state.sellers.get(sellerId);
    const { items } = seller ? await options.json.inboundOf(seller.folder) : { items: [] };
    return reply.send({ payload: { ItemData: items.filter((it) => it.ShipmentId === shipmentId) } });
  });

  app.get('/fba/inbound/v0/shipmentItems', async (req, reply) => {
    const sellerId = guard(req, reply, options, 'getShipmentItems');
    if (!sellerId) return reply;
    const s = selection(req.query, sellerId, reply, false);
    if (!s) return reply;
    const seller = state.sellers.get(sellerId);
    const { shipments, items } = seller ? await options.json.inboundOf(seller.folder) : { shipments: [], items: [] };
    const inRange = new Set(shipments.filter((sh) => matches(sh, s)).map((sh) => String(sh.ShipmentId)));
    const page = pageOf(items.filter((it) => inRange.has(String(it.ShipmentId))), s, sellerId);
    return reply.send({ payload: { ItemData: page.rows, ...(page.nextToken ? { NextToken: page.nextToken } : {}) } });
  });
}

/** Where the simulated seller ships from, for file entries that do not say (Amazon always does). */
const SHIP_FROM_ADDRESS = {
  Name: 'Simulated Seller Warehouse',
  AddressLine1: '100 Simulator Way',
  City: 'Seattle',
  StateOrProvinceCode: 'WA',
  CountryCode: 'US',
  PostalCode: '98109',
};

/**
 * A shipment as Amazon sends it: the model's required fields filled in when the file lacks them,
 * and the simulator's own LastUpdatedDate dropped.
 */
function asAmazonSends(shipment: Record<string, unknown>): Record<string, unknown> {
  const { LastUpdatedDate: _ignored, ...rest } = shipment;
  return { ShipFromAddress: SHIP_FROM_ADDRESS, AreCasesRequired: false, ...rest };
}
