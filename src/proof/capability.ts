// Phase 7's last step: the proof packet, rendered from the committing transaction (so it shows
// the payout, the fee and the phase's own completion) and stored once per payout.
import type { Capabilities } from '../workflow/capabilities.js';
import { buildProofPacket } from './proof-packet.js';

export function proofCapability(): Capabilities['proof'] {
  return {
    build: (_ctx, { claim, payoutId }) =>
      Promise.resolve({
        apply: async (tx) => {
          await buildProofPacket(tx, { claimId: claim.id, userId: claim.userId, payoutId });
        },
      }),
  };
}
