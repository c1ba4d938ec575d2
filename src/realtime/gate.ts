// How many WebSockets this process holds open, and the caps on them: a global one (memory and
// file descriptors are finite) and one per user (one seller's runaway tabs must not take every
// slot). A slot is taken before the upgrade is answered and given back when the TCP socket
// closes, whatever happened in between, so a half-finished handshake cannot leak one.

export type GateRefusal = 'capacity' | 'user_capacity' | 'origin';

export interface SocketGate {
  /** Takes a slot for `owner`, or says why not. */
  reserve(owner: string): 'ok' | Exclude<GateRefusal, 'origin'>;
  release(owner: string): void;
  /** Records a refusal decided elsewhere (a foreign origin). */
  refused(reason: GateRefusal): void;
  open(): number;
}

export function createSocketGate(limits: { maxConnections: number; maxPerUser: number; onRefused?: (reason: GateRefusal) => void }): SocketGate {
  const byOwner = new Map<string, number>();
  let total = 0;
  const refused = (reason: GateRefusal) => limits.onRefused?.(reason);
  return {
    reserve(owner) {
      const mine = byOwner.get(owner) ?? 0;
      if (total >= limits.maxConnections) {
        refused('capacity');
        return 'capacity';
      }
      if (mine >= limits.maxPerUser) {
        refused('user_capacity');
        return 'user_capacity';
      }
      byOwner.set(owner, mine + 1);
      total++;
      return 'ok';
    },
    release(owner) {
      const mine = byOwner.get(owner);
      if (mine === undefined) return;
      if (mine <= 1) byOwner.delete(owner);
      else byOwner.set(owner, mine - 1);
      total--;
    },
    refused,
    open: () => total,
  };
}
