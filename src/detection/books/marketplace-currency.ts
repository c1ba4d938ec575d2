// The currency each Amazon marketplace pays in, by the country code the ledger's Country column
// uses. Used only to choose between several unit costs of one SKU.
const CURRENCY_BY_COUNTRY: Readonly<Record<string, string>> = {
  US: 'USD', CA: 'CAD', MX: 'MXN', BR: 'BRL',
  GB: 'GBP', UK: 'GBP', DE: 'EUR', FR: 'EUR', IT: 'EUR', ES: 'EUR', NL: 'EUR', BE: 'EUR', IE: 'EUR',
  SE: 'SEK', PL: 'PLN', TR: 'TRY', AE: 'AED', SA: 'SAR', EG: 'EGP', IN: 'INR',
  JP: 'JPY', AU: 'AUD', SG: 'SGD',
};

export function currencyOfCountry(country: string | undefined): string | undefined {
  return country ? CURRENCY_BY_COUNTRY[country.trim().toUpperCase()] : undefined;
}
