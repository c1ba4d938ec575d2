/** Amazon's published endpoints (AMAZON.md §1.1–1.2); all of them are overridable configuration. */

export type SpApiRegion = 'na' | 'eu' | 'fe';

export const SP_API_ENDPOINTS: Readonly<Record<SpApiRegion, string>> = {
  na: 'https://sellingpartnerapi-na.amazon.com',
  eu: 'https://sellingpartnerapi-eu.amazon.com',
  fe: 'https://sellingpartnerapi-fe.amazon.com',
};

/** One token endpoint serves every region. */
export const LWA_TOKEN_URL = 'https://api.amazon.com/auth/o2/token';

/** Login with Amazon's sign-in page (authorization code grant) and its profile endpoint. */
export const LWA_AUTHORIZE_URL = 'https://www.amazon.com/ap/oa';
export const LWA_PROFILE_URL = 'https://api.amazon.com/user/profile';
/** Only the Amazon account's id: Clario needs to know who comes back, not their name or e-mail. */
export const LWA_SIGN_IN_SCOPE = 'profile:user_id';

/**
 * Seller Central's consent page lives on the marketplace's own domain; these are the usual ones
 * per region (a seller in Mexico uses sellercentral.amazon.com.mx, configure it then).
 */
export const SELLER_CENTRAL_URLS: Readonly<Record<SpApiRegion, string>> = {
  na: 'https://sellercentral.amazon.com',
  eu: 'https://sellercentral-europe.amazon.com',
  fe: 'https://sellercentral.amazon.co.jp',
};

/** Path of the website authorization workflow's consent page, below a Seller Central domain. */
export const CONSENT_PATH = '/apps/authorize/consent';
