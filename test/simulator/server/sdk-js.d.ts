// The part of Amazon's SP-API JS SDK the contract test uses. The package exports only its root
// module, which has no type declarations (the per-API .d.ts files sit behind its `exports`).
declare module '@amazon-sp-api-release/amazon-sp-api-sdk-js' {
  /** What a `...WithHttpInfo` call resolves to: the SDK's model instance and superagent's response. */
  export interface SdkAnswer {
    readonly data: unknown;
    readonly response: { readonly status: number; readonly body: unknown };
  }

  export interface SdkApiClient {
    requestAgent: unknown;
    disableRateLimiter(): void;
    applyXAmzAccessTokenToRequest(token: string): SdkApiClient;
    callApi(operation: string, ...rest: unknown[]): Promise<SdkAnswer>;
  }

  /** One API's generated module: its ApiClient, its API classes and its models, by name. */
  export interface SdkApiModule {
    readonly ApiClient: new (baseUrl: string) => SdkApiClient;
    readonly [name: string]: unknown;
  }

  export const ReportsSpApi: SdkApiModule;
  export const Fulfillmentinbound_v0SpApi: SdkApiModule;
  export const FinancesSpApi: SdkApiModule;
  export const Finances20240619SpApi: SdkApiModule;
  export const SellersSpApi: SdkApiModule;
}
