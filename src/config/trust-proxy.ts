// TRUST_PROXY: whose X-Forwarded-For Clario believes. Behind a load balancer every request comes
// from the balancer's address, so per-address rate limits and logs see one client; trusting the
// header from anyone would let a client name its own address and slip the limits. So: nothing by
// default, and never "everyone".
import ipaddr from 'ipaddr.js';
import { z } from 'zod';

/** Hops to trust (Fastify counts from the socket), or addresses/CIDRs/range names; false: none. */
export type TrustProxy = false | number | readonly string[];

// The range names proxy-addr (Fastify's trustProxy) understands.
const NAMED = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrCidr(entry: string): boolean {
  if (NAMED.has(entry)) return true;
  if (entry.includes('/')) {
    try {
      ipaddr.parseCIDR(entry);
      return true;
    } catch {
      return false;
    }
  }
  return ipaddr.isValid(entry);
}

export const TrustProxySchema = z
  .string()
  .optional()
  .transform((raw, ctx): TrustProxy => {
    const value = raw?.trim() ?? '';
    if (value === '' || value === 'false') return false;
    if (value === 'true') {
      ctx.addIssue({ code: 'custom', message: "'true' would believe any client's X-Forwarded-For; give the hop count or the proxies' addresses" });
      return z.NEVER;
    }
    if (/^\d+$/.test(value)) return Number(value);
    const entries = value.split(',').map((e) => e.trim());
    const bad = entries.filter((e) => !isAddressOrCidr(e));
    if (bad.length > 0) {
      ctx.addIssue({ code: 'custom', message: `not an address, CIDR, loopback, linklocal or uniquelocal: ${bad.join(', ')}` });
      return z.NEVER;
    }
    return entries;
  });
