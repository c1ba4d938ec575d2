/** Where a claim stands on its way from detected to paid. */
export type ClaimStatus =
  | 'detected' // found by detection, not yet routed
  | 'prompted' // the seller was asked for something (smart prompt)
  | 'held' // confidence too low to file
  | 'ready' // routed to auto-submit, waiting for its filing slot
  | 'filed' // a case exists at Amazon
  | 'rejected'
  | 'paid'
  | 'expired'
  | 'dismissed';

const MOVES: Readonly<Record<ClaimStatus, readonly ClaimStatus[]>> = {
  detected: ['prompted', 'held', 'ready', 'filed', 'expired', 'dismissed'],
  prompted: ['ready', 'held', 'filed', 'expired', 'dismissed'],
  held: ['prompted', 'ready', 'filed', 'expired', 'dismissed'],
  // Detection withdraws (dismisses) an unfiled claim it no longer finds, and reopens it if it finds it again.
  ready: ['filed', 'prompted', 'held', 'expired', 'dismissed'],
  filed: ['rejected', 'paid'],
  // A rejected claim can be fixed and filed again, and Amazon sometimes pays after all.
  rejected: ['filed', 'prompted', 'paid', 'dismissed'],
  paid: [],
  expired: [],
  dismissed: ['prompted', 'detected'],
};

export function canMoveClaim(from: ClaimStatus, to: ClaimStatus): boolean {
  return MOVES[from].includes(to);
}

export const CLAIM_STATUSES = Object.keys(MOVES) as ClaimStatus[];
