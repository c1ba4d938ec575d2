// Where a webhook may be sent. A subscription URL is chosen by whoever holds the service token,
// but the POST leaves from inside Clario's network: without these checks it reaches the cloud's
// metadata service, the database, or anything on loopback (SSRF). So: https only, no credentials
// in the URL, and every address the host stands for must be public unicast, checked on the
// literal, on every DNS answer at connect time (the connection goes to the address checked, so a
// DNS change between check and connect cannot slip through), and never relaxed by a redirect
// (deliveries do not follow them). Addresses are classified by ipaddr.js, not by hand.
import { lookup as dnsLookup } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

/** Every address a host name stands for (injected in tests to play DNS). */
export type Resolve = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface DestinationPolicy {
  /**
   * Development only (WEBHOOK_ALLOW_INSECURE): plain http, and loopback and private addresses
   * (a receiver on the developer's machine). Link-local (the metadata service), multicast and
   * the rest stay refused even then.
   */
  readonly allowInsecure: boolean;
  readonly resolve?: Resolve;
}

/** A destination Clario will not send to; `reason` is safe to show the subscriber. */
export class RefusedDestinationError extends Error {
  override readonly name = 'RefusedDestinationError';
  readonly code = 'refused_address';
}

export const systemResolve: Resolve = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses)));
  });

/** Ranges a developer's own receiver lives in; allowed only with `allowInsecure`. */
const DEVELOPMENT_RANGES = new Set(['loopback', 'private', 'uniqueLocal']);

/** Why Clario will not connect to `address`, or undefined when it is public unicast. */
export function addressRefusal(address: string, policy: Pick<DestinationPolicy, 'allowInsecure'>): string | undefined {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  // process() turns an IPv4-mapped IPv6 address (::ffff:127.0.0.1) into the IPv4 one it maps.
  const ip = ipaddr.process(address);
  let range: string = ip.range();
  // The deprecated IPv4-compatible form (::127.0.0.1) is "unicast" to ipaddr.js; nothing public
  // lives there. Only unicast is renamed, so ::1 stays loopback and :: unspecified.
  if (range === 'unicast' && ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).parts.slice(0, 6).every((p) => p === 0)) range = 'ipv4Compatible';
  if (range === 'unicast') return undefined;
  if (policy.allowInsecure && DEVELOPMENT_RANGES.has(range)) return undefined;
  return `${ip.toString()} is ${/^[aeiou]/i.test(range) ? 'an' : 'a'} ${range} address`;
}

function bare(hostname: string): string {
  const h = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

/**
 * Checks what can be checked without DNS: scheme, credentials, and a host written as an address.
 * The WHATWG parser has already turned `0x7f000001`, `2130706433` and `127.1` into `127.0.0.1`.
 */
export function urlRefusal(raw: string, policy: Pick<DestinationPolicy, 'allowInsecure'>): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'https:' && !(policy.allowInsecure && url.protocol === 'http:')) return 'only https URLs are allowed';
  if (url.username || url.password) return 'credentials in the URL are not allowed';
  const host = bare(url.hostname).toLowerCase();
  if (isIP(host)) return addressRefusal(host, policy);
  // RFC 6761: these names are loopback whatever DNS says.
  if ((host === 'localhost' || host.endsWith('.localhost')) && !policy.allowInsecure) return `${host} is a loopback name`;
  return undefined;
}

/**
 * The full check at subscription time: the URL, then what its host resolves to now. A name that
 * does not resolve yet is accepted (it is checked again at every delivery); one that resolves to
 * a refused address is not.
 */
export async function destinationRefusal(raw: string, policy: DestinationPolicy, timeoutMs = 2_000): Promise<string | undefined> {
  const early = urlRefusal(raw, policy);
  if (early) return early;
  const host = bare(new URL(raw).hostname);
  if (isIP(host)) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const addresses = await Promise.race([
    (policy.resolve ?? systemResolve)(host).catch(() => [] as ResolvedAddress[]),
    new Promise<ResolvedAddress[]>((resolve) => (timer = setTimeout(() => resolve([]), timeoutMs))),
  ]).finally(() => clearTimeout(timer));
  for (const a of addresses) {
    const refusal = addressRefusal(a.address, policy);
    if (refusal) return `${host} resolves to ${refusal.replace(/^\S+ is /, '')}`;
  }
  return undefined;
}

/**
 * A `lookup` for http(s).Agent: resolves, refuses the whole host when any of its addresses is
 * refused (a name that mixes public and private answers is a rebinding attempt), and hands the
 * socket exactly the addresses it checked.
 */
export function guardedLookup(policy: DestinationPolicy): LookupFunction {
  const resolve = policy.resolve ?? systemResolve;
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const refused = addresses.map((a) => addressRefusal(a.address, policy)).find((r) => r !== undefined);
        if (refused) return callback(new RefusedDestinationError(`${hostname}: ${refused}`), '', 0);
        const wanted = addresses.filter((a) => !options.family || a.family === options.family);
        if (wanted.length === 0) {
          const err = Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' });
          return callback(err, '', 0);
        }
        if (options.all) return (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, wanted);
        const first = wanted[0] as ResolvedAddress;
        callback(null, first.address, first.family);
      },
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err)), '', 0),
    );
  };
}
