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

/** More proxies than this in front of Clario is a mistake: see the hop count's refusal. */
export const MAX_TRUSTED_HOPS = 10;

/**
 * Why a CIDR is too wide to trust, if it is: a range wider than the widest private one
 * (10.0.0.0/8, fc00::/7) takes in much of the internet, and /0 everyone (proxy-addr also threw a
 * TypeError on it at the first request). An IPv4-mapped range counts as the IPv4 range it maps.
 */
function tooWide(entry: string): string | undefined {
  if (!entry.includes('/')) return undefined;
  const [address, bits] = ipaddr.parseCIDR(entry);
  const mapped = address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress();
  const [v4, prefix] = mapped ? [true, bits - 96] : [address.kind() === 'ipv4', bits];
  if (prefix <= 0) return `${entry} would let any client pick its address`;
  if (prefix < (v4 ? 8 : 7)) return `${entry} would believe the X-Forwarded-For of much of the internet; name the proxies' own range`;
  return undefined;
}

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
    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      if (hops <= MAX_TRUSTED_HOPS) return hops;
      // A client writes what it likes at the start of X-Forwarded-For: trusting that many hops
      // reaches into what it wrote, and takes its word for its address.
      ctx.addIssue({ code: 'custom', message: `${value} hops would believe the addresses a client writes into X-Forwarded-For itself; give the number of proxies in front of Clario (at most ${MAX_TRUSTED_HOPS}), or their addresses` });
      return z.NEVER;
    }
    const entries = value.split(',').map((e) => e.trim());
    const bad = entries.filter((e) => !isAddressOrCidr(e));
    if (bad.length > 0) {
      ctx.addIssue({ code: 'custom', message: `not an address, CIDR, loopback, linklocal or uniquelocal: ${bad.join(', ')}` });
      return z.NEVER;
    }
    const wide = entries.map(tooWide).filter((why) => why !== undefined);
    if (wide.length > 0) {
      ctx.addIssue({ code: 'custom', message: wide.join('; ') });
      return z.NEVER;
    }
    return entries;
  });
