// The simulator driven by Amazon's official JS SDK: every operation Clario calls, over the
// hand-written fixture seller and a generated demo seller, and every JSON answer (errors too)
// checked against the SDK's models, which are generated from Amazon's published API models.
// Adding an operation is one entry in CONTRACTS.
import { Agent } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Finances20240619SpApi,
  FinancesSpApi,
  Fulfillmentinbound_v0SpApi,
  ReportsSpApi,
  type SdkAnswer,
  type SdkApiModule,
} from '@amazon-sp-api-release/amazon-sp-api-sdk-js';
import { generateSeller } from '../../../src/simulator/seller/index.js';
import { connect, FIXTURE, lwaFor, SELLER, simulator, testClock } from './harness.js';
import { modelName, violations } from './sdk-models.js';

const US = 'ATVPDKIKX0DER';
const LEDGER = 'GET_LEDGER_DETAIL_VIEW_DATA';
/** A report type neither seller folder has: Amazon's "no data" answer (CANCELLED, no document). */
const ABSENT = 'GET_FBA_STORAGE_FEE_CHARGES_DATA';
const YEAR = { lastUpdatedAfter: new Date('2025-01-01T00:00:00Z'), lastUpdatedBefore: new Date('2027-01-01T00:00:00Z') };

interface Answer {
  readonly operation: string;
  readonly status: number;
  readonly problems: readonly string[];
}

/** An SDK API object: its operations are looked up by name, so it is typed loosely. */
type Api = Record<string, (...args: any[]) => Promise<SdkAnswer>>;

interface Contract {
  /** The SDK's name for the operation (its rate-limit key): `<ApiClass>-<operation>`. */
  readonly operation: string;
  readonly sdk: SdkApiModule;
  /** Calls the operation the way Clario does; earlier calls it needs (createReport) are checked too. */
  readonly call: (api: Api) => Promise<unknown>;
  /** The status the entry is about (default: success). */
  readonly status?: number;
}

/** Creates a report and polls it until Amazon is done with it. */
async function finishedReport(api: Api, reportType: string): Promise<{ reportDocumentId?: string; processingStatus: string }> {
  const { data } = await api.createReportWithHttpInfo!({ reportType, marketplaceIds: [US] });
  for (;;) {
    const report = (await api.getReportWithHttpInfo!((data as { reportId: string }).reportId)).data as { reportDocumentId?: string; processingStatus: string };
    if (!['IN_QUEUE', 'IN_PROGRESS'].includes(report.processingStatus)) return report;
  }
}

/** Follows NextToken the way Amazon's v0 inbound paging asks (QueryType NEXT_TOKEN). */
async function allInboundPages(api: Api, operation: 'getShipmentsWithHttpInfo' | 'getShipmentItemsWithHttpInfo', first: object): Promise<void> {
  let answer = await api[operation]!('DATE_RANGE', US, first);
  for (;;) {
    const next = (answer.response.body as { payload?: { NextToken?: string } }).payload?.NextToken;
    if (!next) return;
    answer = await api[operation]!('NEXT_TOKEN', US, { nextToken: next });
  }
}

/** The answer Amazon gives a refused call is an answer too: the rejection is what the entry is about. */
async function refused(call: Promise<unknown>): Promise<void> {
  await call.then(() => { throw new Error('expected Amazon to refuse the call'); }, () => undefined);
}

const CONTRACTS: readonly Contract[] = [
  { operation: 'ReportsApi-createReport', sdk: ReportsSpApi, call: (api) => api.createReportWithHttpInfo!({ reportType: LEDGER, marketplaceIds: [US], dataStartTime: new Date('2026-01-01T00:00:00Z') }) },
  { operation: 'ReportsApi-getReport', sdk: ReportsSpApi, call: async (api) => Promise.all([finishedReport(api, LEDGER), finishedReport(api, ABSENT)]) },
  {
    operation: 'ReportsApi-getReportDocument',
    sdk: ReportsSpApi,
    call: async (api) => api.getReportDocumentWithHttpInfo!((await finishedReport(api, LEDGER)).reportDocumentId),
  },
  { operation: 'ReportsApi-getReport', sdk: ReportsSpApi, status: 404, call: (api) => refused(api.getReportWithHttpInfo!('404404404')) },
  { operation: 'FbaInboundApi-getShipments', sdk: Fulfillmentinbound_v0SpApi, call: (api) => allInboundPages(api, 'getShipmentsWithHttpInfo', YEAR) },
  { operation: 'FbaInboundApi-getShipments', sdk: Fulfillmentinbound_v0SpApi, call: (api) => api.getShipmentsWithHttpInfo!('SHIPMENT', US, { shipmentStatusList: ['CLOSED', 'RECEIVING'] }) },
  { operation: 'FbaInboundApi-getShipments', sdk: Fulfillmentinbound_v0SpApi, status: 400, call: (api) => refused(api.getShipmentsWithHttpInfo!('SHIPMENT', US, {})) },
  { operation: 'FbaInboundApi-getShipmentItems', sdk: Fulfillmentinbound_v0SpApi, call: (api) => allInboundPages(api, 'getShipmentItemsWithHttpInfo', YEAR) },
  {
    operation: 'FbaInboundApi-getShipmentItemsByShipmentId',
    sdk: Fulfillmentinbound_v0SpApi,
    call: async (api) => {
      const shipments = await api.getShipmentsWithHttpInfo!('DATE_RANGE', US, YEAR);
      const first = (shipments.response.body as { payload: { ShipmentData: Array<{ ShipmentId: string }> } }).payload.ShipmentData[0]!;
      // MarketplaceId is optional and deprecated in the model: one call with it, one without.
      await api.getShipmentItemsByShipmentIdWithHttpInfo!(first.ShipmentId, { marketplaceId: US });
      return api.getShipmentItemsByShipmentIdWithHttpInfo!(first.ShipmentId, {});
    },
  },
  {
    operation: 'DefaultApi-listFinancialEvents',
    sdk: FinancesSpApi,
    call: async (api) => {
      const first = { postedAfter: new Date('2025-01-01T00:00:00Z'), postedBefore: new Date('2027-01-01T00:00:00Z'), maxResultsPerPage: 100 };
      let answer = await api.listFinancialEventsWithHttpInfo!(first);
      for (;;) {
        const next = (answer.response.body as { payload?: { NextToken?: string } }).payload?.NextToken;
        if (!next) return;
        answer = await api.listFinancialEventsWithHttpInfo!({ nextToken: next });
      }
    },
  },
  { operation: 'DefaultApi-listFinancialEvents', sdk: FinancesSpApi, status: 400, call: (api) => refused(api.listFinancialEventsWithHttpInfo!({ maxResultsPerPage: 101 })) },
  {
    operation: 'DefaultApi-listTransactions',
    sdk: Finances20240619SpApi,
    // As Clario calls it: windows of at most 180 days (a longer range answers nothing), each paged
    // with the same arguments and the token.
    call: async (api) => {
      let seen = 0;
      for (let t = Date.parse('2025-01-01T00:00:00Z'); t < Date.parse('2026-11-01T00:00:00Z'); t += 180 * 86_400_000) {
        const range = { postedAfter: new Date(t), postedBefore: new Date(Math.min(t + 180 * 86_400_000, Date.parse('2026-11-01T00:00:00Z'))) };
        let answer = await api.listTransactionsWithHttpInfo!(range);
        for (;;) {
          const payload = (answer.response.body as { payload?: { nextToken?: string; transactions?: unknown[] } }).payload;
          seen += payload?.transactions?.length ?? 0;
          if (!payload?.nextToken) break;
          answer = await api.listTransactionsWithHttpInfo!({ ...range, nextToken: payload.nextToken });
        }
      }
      // An empty answer would check nothing.
      if (seen === 0) throw new Error('the simulator served no transaction');
    },
  },
  { operation: 'DefaultApi-listTransactions', sdk: Finances20240619SpApi, status: 400, call: (api) => refused(api.listTransactionsWithHttpInfo!({ postedAfter: new Date('2026-06-01T00:00:00Z'), postedBefore: new Date('2026-05-01T00:00:00Z') })) },
];

/** The API class that serves `operation` in its SDK module, on a client that records every answer. */
function recordingApi(sdk: SdkApiModule, operation: string, baseUrl: string, accessToken: string, agent: Agent, answers: Answer[]): Api {
  const client = new sdk.ApiClient(baseUrl);
  client.applyXAmzAccessTokenToRequest(accessToken);
  client.disableRateLimiter(); // the simulator's buckets are off; the SDK's own would only slow the test
  client.requestAgent = agent;
  const callApi = client.callApi.bind(client);
  client.callApi = async (op: string, ...rest: unknown[]) => {
    // callApi(operation, path, method, pathParams, query, headers, form, body, contentTypes, accepts, returnType, limiter)
    const returnType = rest[9];
    try {
      const answer = await callApi(op, ...rest);
      answers.push({ operation: op, status: answer.response.status, problems: violations(sdk, modelName(sdk, returnType), answer.response.body) });
      return answer;
    } catch (err) {
      const response = (err as { response?: { status: number; body: unknown } }).response;
      if (!response) throw err;
      // An error answer is the API's ErrorList where it has one; v0 APIs answer their response type with `errors`.
      const model = 'ErrorList' in sdk ? 'ErrorList' : modelName(sdk, returnType);
      answers.push({ operation: op, status: response.status, problems: violations(sdk, model, response.body) });
      throw err;
    }
  };
  const ApiClass = sdk[operation.split('-')[0]!] as new (c: unknown) => Api;
  return new ApiClass(client);
}

const generated = { folder: '' };
beforeAll(async () => {
  generated.folder = await mkdtemp(join(tmpdir(), 'clario-sdk-contract-'));
  await generateSeller({ seed: 7, asOf: '2026-11-22' }, generated.folder);
});
afterAll(async () => {
  await rm(generated.folder, { recursive: true, force: true });
});

describe.each([
  { seller: 'the fixture seller', folder: () => FIXTURE },
  { seller: 'a generated demo seller', folder: () => generated.folder },
])('driven by the official SDK over $seller', ({ folder }) => {
  it.each(CONTRACTS.map((c) => ({ ...c, name: `${c.operation}${c.status ? ` (${c.status})` : ''}` })))(
    '$name answers as its model says',
    async (contract) => {
      const clock = testClock();
      const sim = await simulator({ clock, sellers: new Map([[SELLER, { folder: folder() }]]), inboundPageSize: 2, rateLimits: false });
      const lwa = lwaFor(sim, { clock });
      const accessToken = await lwa.accessToken(await connect(sim, lwa));
      const agent = new Agent({ keepAlive: false });
      const answers: Answer[] = [];
      try {
        await contract.call(recordingApi(contract.sdk, contract.operation, sim.url, accessToken, agent, answers));
      } finally {
        agent.destroy();
      }
      const own = answers.filter((a) => a.operation === contract.operation);
      expect(own.length).toBeGreaterThan(0);
      expect(own.every((a) => (contract.status ? a.status === contract.status : a.status < 300))).toBe(true);
      expect(answers.flatMap((a) => a.problems.map((p) => `${a.operation} ${a.status}: ${p}`))).toEqual([]);
    },
  );
});

describe('the model checker', () => {
  const shipment = { ShipmentId: 'FBA1', ShipmentStatus: 'CLOSED', AreCasesRequired: false, ShipFromAddress: { Name: 'A', AddressLine1: '1 Main St', City: 'Seattle', StateOrProvinceCode: 'WA', CountryCode: 'US', PostalCode: '98101' } };

  it('accepts an answer that follows the model', () => {
    expect(violations(Fulfillmentinbound_v0SpApi, 'GetShipmentsResponse', { payload: { ShipmentData: [shipment] } })).toEqual([]);
  });

  it('names a missing required property, a wrong type, a value outside an enum and an unknown property', () => {
    const { ShipFromAddress: _dropped, ...noAddress } = shipment;
    const bad = { payload: { ShipmentData: [{ ...noAddress, AreCasesRequired: 'no', ShipmentStatus: 'LOST', Colour: 'red' }] } };
    expect(violations(Fulfillmentinbound_v0SpApi, 'GetShipmentsResponse', bad)).toEqual([
      'GetShipmentsResponse.payload.ShipmentData[0]: required ShipFromAddress is missing (InboundShipmentInfo)',
      'GetShipmentsResponse.payload.ShipmentData[0].ShipmentStatus: "LOST" is not a ShipmentStatus (WORKING, SHIPPED, RECEIVING, CANCELLED, DELETED, CLOSED, ERROR, IN_TRANSIT, DELIVERED, CHECKED_IN)',
      'GetShipmentsResponse.payload.ShipmentData[0].AreCasesRequired: expected a boolean, got string "no"',
      'GetShipmentsResponse.payload.ShipmentData[0]: Colour is not a property of InboundShipmentInfo',
    ]);
  });

  it('knows an inline enum and a date-time', () => {
    const report = { reportId: '1', reportType: LEDGER, createdTime: 'yesterday', processingStatus: 'LOST' };
    expect(violations(ReportsSpApi, 'Report', report)).toEqual([
      'Report.createdTime: expected an ISO 8601 date-time, got string "yesterday"',
      'Report.processingStatus: "LOST" is not one of CANCELLED, DONE, FATAL, IN_PROGRESS, IN_QUEUE',
    ]);
  });
});
