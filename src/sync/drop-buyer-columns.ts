// Buyer data never reaches the database: a report's buyer name, e-mail, phone and address columns
// are cut from each line as it is read. Clario needs none of them (detection reads orders, SKUs,
// quantities and prices), and Amazon's data-protection rules limit how long buyer data may be kept.

const norm = (name: string): string => name.trim().toLowerCase().replace(/[\s_-]/g, '');

/**
 * A buyer column, by the names Amazon's reports use: buyer-email, buyer-name, buyer-phone-number,
 * recipient-name, ship-address-1..3, ship-city, ship-state, ship-postal-code, ship-country,
 * ship-phone-number and the bill-* columns. (ship-service-level, shipment-date and ship-promotion-
 * discount are not about the buyer and stay.)
 */
export function isBuyerColumn(name: string): boolean {
  const n = norm(name);
  return (
    n.startsWith('buyer') ||
    n.startsWith('recipient') ||
    n.startsWith('bill') ||
    /^ship(address\d*|city|state|postalcode|country|phonenumber)$/.test(n)
  );
}

/** How the lines of one report document are cut: its header without the buyer columns, and the same for each line. */
export interface BuyerColumnCut {
  readonly header: string;
  /** The line without the buyer columns; undefined when it cannot be cut safely and must not be stored. */
  line(line: string): string | undefined;
}

/** The cut for a report whose header is `header`, or undefined when it has no buyer column. */
export function buyerColumnCut(header: string): BuyerColumnCut | undefined {
  const names = header.split('\t');
  const keep = names.map((name, i) => (isBuyerColumn(name) ? -1 : i)).filter((i) => i >= 0);
  if (keep.length === names.length) return undefined;
  const width = names.length;
  const pick = (fields: readonly string[]) => keep.map((i) => fields[i] ?? '').join('\t');
  return {
    header: pick(names),
    line(line) {
      const fields = line.split('\t');
      // A line of another width has its fields in unknown places, so buyer data could be in any of
      // them; detection would skip it anyway (wrong number of fields). It is not stored.
      if (fields.length !== width) return undefined;
      return pick(fields);
    },
  };
}
