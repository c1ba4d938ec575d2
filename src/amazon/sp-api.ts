/**
 * The SP-API client for one seller: Reports 2021-06-30, Finances 2024-06-19 and v0, Fulfillment Inbound v0
 * over one rate-limited transport. The base URL is configuration: an Amazon region
 * (SP_API_ENDPOINTS) or the bundled simulator, through the same code.
 */
import { tracedFetch } from '../observability/tracing.js';
import { FinancesApi } from './finances.js';
import { InboundApi } from './inbound.js';
import { ReportsApi } from './reports.js';
import { SpApiTransport, type SpApiTransportOptions } from './transport.js';

export interface SpApiClient {
  readonly sellerId: string;
  readonly reports: ReportsApi;
  readonly finances: FinancesApi;
  readonly inbound: InboundApi;
}

/** Builds the client for one seller. Share `options.limiter` across sellers' clients. */
export function createSpApiClient(options: SpApiTransportOptions): SpApiClient {
  // Every SP-API request is a client span of the phase attempt that made it (no-op with tracing off).
  const transport = new SpApiTransport({ ...options, fetch: tracedFetch('amazon.sp-api', options.fetch ?? fetch) });
  return {
    sellerId: options.sellerId,
    reports: new ReportsApi(transport),
    finances: new FinancesApi(transport),
    inbound: new InboundApi(transport),
  };
}
