/**
 * Fulfillment Inbound v0 reads: getShipments, getShipmentItemsByShipmentId, getShipmentItems.
 * v0 is kept (not 2024-03-20) because only v0 reports QuantityReceived, which shortage
 * detection needs (AMAZON.md §1.4).
 */
import { NonRetryableError } from '../domain/errors.js';
import type { SpApiTransport } from './transport.js';

export const SHIPMENT_STATUSES = [
  'WORKING', 'READY_TO_SHIP', 'SHIPPED', 'RECEIVING', 'CANCELLED', 'DELETED', 'CLOSED', 'ERROR', 'IN_TRANSIT', 'DELIVERED', 'CHECKED_IN',
] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

/** Amazon's InboundShipmentInfo, the fields Clario reads (others pass through untyped). */
export interface InboundShipmentInfo {
  readonly ShipmentId?: string;
  readonly ShipmentName?: string;
  readonly ShipmentStatus?: ShipmentStatus;
  readonly DestinationFulfillmentCenterId?: string;
  readonly LabelPrepType?: string;
  readonly AreCasesRequired?: boolean;
  readonly ConfirmedNeedByDate?: string;
  readonly BoxContentsSource?: string;
  readonly [field: string]: unknown;
}

export interface InboundShipmentItem {
  readonly ShipmentId?: string;
  readonly SellerSKU: string;
  readonly FulfillmentNetworkSKU?: string;
  readonly QuantityShipped: number;
  readonly QuantityReceived?: number;
  readonly QuantityInCase?: number;
  readonly [field: string]: unknown;
}

/**
 * Amazon's QueryType rules: SHIPMENT needs a status list or an id list (dates optional);
 * DATE_RANGE needs both LastUpdatedAfter and LastUpdatedBefore.
 */
export type GetShipmentsQuery = {
  readonly marketplaceId: string;
  readonly lastUpdatedAfter?: Date | string;
  readonly lastUpdatedBefore?: Date | string;
} & (
  | { readonly shipmentStatusList: readonly ShipmentStatus[]; readonly shipmentIdList?: readonly string[] }
  | { readonly shipmentIdList: readonly string[]; readonly shipmentStatusList?: readonly ShipmentStatus[] }
  | { readonly lastUpdatedAfter: Date | string; readonly lastUpdatedBefore: Date | string; readonly shipmentStatusList?: undefined; readonly shipmentIdList?: undefined }
);

export interface GetShipmentItemsQuery {
  readonly marketplaceId: string;
  readonly lastUpdatedAfter: Date | string;
  readonly lastUpdatedBefore: Date | string;
}

interface Paged<K extends string, T> {
  readonly payload?: { readonly NextToken?: string } & { readonly [key in K]?: readonly T[] };
}

const BASE = '/fba/inbound/v0';

function iso(d: Date | string | undefined): string | undefined {
  return d === undefined ? undefined : new Date(d).toISOString();
}

export class InboundApi {
  constructor(private readonly transport: SpApiTransport) {}

  /** Pages of shipments. */
  async *getShipments(query: GetShipmentsQuery): AsyncGenerator<readonly InboundShipmentInfo[]> {
    const byShipment = (query.shipmentStatusList?.length ?? 0) > 0 || (query.shipmentIdList?.length ?? 0) > 0;
    if (!byShipment && (query.lastUpdatedAfter === undefined || query.lastUpdatedBefore === undefined)) {
      throw new NonRetryableError('getShipments needs ShipmentStatusList or ShipmentIdList, or both LastUpdatedAfter and LastUpdatedBefore', 'invalid_inbound_request');
    }
    yield* this.pages<'ShipmentData', InboundShipmentInfo>('getShipments', `${BASE}/shipments`, 'ShipmentData', query.marketplaceId, {
      QueryType: byShipment ? 'SHIPMENT' : 'DATE_RANGE',
      ShipmentStatusList: query.shipmentStatusList,
      ShipmentIdList: query.shipmentIdList,
      LastUpdatedAfter: iso(query.lastUpdatedAfter),
      LastUpdatedBefore: iso(query.lastUpdatedBefore),
    });
  }

  /** Every item of one shipment (Amazon answers this one in a single page). */
  async getShipmentItemsByShipmentId(shipmentId: string, marketplaceId: string): Promise<readonly InboundShipmentItem[]> {
    const res = await this.transport.call<Paged<'ItemData', InboundShipmentItem>>({
      operation: 'getShipmentItemsByShipmentId',
      method: 'GET',
      path: `${BASE}/shipments/${encodeURIComponent(shipmentId)}/items`,
      query: { MarketplaceId: marketplaceId },
    });
    return res.payload?.ItemData ?? [];
  }

  /** Pages of items of all shipments updated in a date range. */
  async *getShipmentItems(query: GetShipmentItemsQuery): AsyncGenerator<readonly InboundShipmentItem[]> {
    yield* this.pages<'ItemData', InboundShipmentItem>('getShipmentItems', `${BASE}/shipmentItems`, 'ItemData', query.marketplaceId, {
      QueryType: 'DATE_RANGE',
      LastUpdatedAfter: iso(query.lastUpdatedAfter),
      LastUpdatedBefore: iso(query.lastUpdatedBefore),
    });
  }

  private async *pages<K extends string, T>(
    operation: 'getShipments' | 'getShipmentItems',
    path: string,
    key: K,
    marketplaceId: string,
    first: Readonly<Record<string, string | readonly string[] | undefined>>,
  ): AsyncGenerator<readonly T[]> {
    let query: Readonly<Record<string, string | readonly string[] | undefined>> = { ...first, MarketplaceId: marketplaceId };
    for (;;) {
      const res = await this.transport.call<Paged<K, T>>({ operation, method: 'GET', path, query });
      const payload = res.payload;
      yield (payload?.[key]) ?? [];
      const next = payload?.NextToken;
      if (!next) return;
      // Later pages are QueryType=NEXT_TOKEN with the token and the marketplace only.
      query = { QueryType: 'NEXT_TOKEN', NextToken: next, MarketplaceId: marketplaceId };
    }
  }
}
