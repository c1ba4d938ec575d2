/** Amazon adapters: Login with Amazon and the SP-API client. */
export { ManualClock, systemClock, type Clock } from './clock.js';
export { CONSENT_PATH, LWA_AUTHORIZE_URL, LWA_PROFILE_URL, LWA_SIGN_IN_SCOPE, LWA_TOKEN_URL, SELLER_CENTRAL_URLS, SP_API_ENDPOINTS, type SpApiRegion } from './endpoints.js';
export { AmazonUnavailableError, InvalidGrantError, LwaRequestError, SpApiRequestError, type AmazonErrorEntry } from './errors.js';
export * from './finances.js';
export * from './inbound.js';
export { charsetOf, streamLines } from './report-lines.js';
export { LwaClient, type AccessTokenSource, type AuthorizeUrlInput, type LwaAccessToken, type LwaOptions, type LwaProfile, type LwaTokens } from './lwa.js';
export { RateLimiter, TokenBucket, USAGE_PLANS, type SpApiOperation, type UsagePlan } from './rate-limit.js';
export * from './reports.js';
export { createSpApiClient, type SpApiClient } from './sp-api.js';
export { SpApiTransport, type SpApiCall, type SpApiTransportOptions } from './transport.js';
