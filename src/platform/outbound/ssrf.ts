// SSRF guard for partner calls: a URL saved by a tenant (a 1C address, a webhook target) must not reach the
// hub's own network. Private, loopback, link-local, unique-local, CGNAT, multicast and unspecified addresses are
// refused unless the host is allowed by configuration (OUTBOUND_ALLOW_HOSTS). The check runs on every resolved
// address at connect time, so DNS rebinding cannot slip past a check made earlier; assertTargetAllowed runs the
// same check when a URL is saved, so an operator hears of a bad one at once rather than through failed calls.
import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { lookup as dnsLookupAsync } from 'node:dns/promises';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, prefix, 'ipv4');
// IPv6 ranges that embed an IPv4 address reach IPv4 hosts through a translator or tunnel, so they are refused
// whole: IPv4-compatible (::/96, deprecated; also covers :: and ::1), NAT64 (64:ff9b::/96 and the local-use
// 64:ff9b:1::/48) and 6to4 (2002::/16). IPv4-mapped addresses (::ffff:0:0/96) are checked as IPv4 by BlockList.
for (const [net, prefix] of [
  ['::', 96],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(net, prefix, 'ipv6');

export class SsrfBlockedError extends Error {
  readonly retryable = false;
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`outbound call to ${host} (${address}) refused: private or local address; allow it with OUTBOUND_ALLOW_HOSTS if intended`);
    this.name = 'SsrfBlockedError';
  }
}

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return blocked.check(mapped[1]!, 'ipv4');
    return blocked.check(address, 'ipv6');
  }
  return blocked.check(address, 'ipv4');
}

export function hostAllowed(allowHosts: readonly string[], host: string, port?: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return allowHosts.some((a) => {
    const x = a.toLowerCase();
    return x === '*' || x === h || (port !== undefined && x === `${h}:${port}`);
  });
}

/** Throws SsrfBlockedError for a literal private IP in a URL that is not allowed. */
export function assertUrlAllowed(url: URL, allowHosts: readonly string[]): void {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (hostAllowed(allowHosts, host, url.port)) return;
  const name = host.toLowerCase().replace(/\.$/, ''); // "localhost." is localhost too
  if (name === 'localhost' || name.endsWith('.localhost')) throw new SsrfBlockedError(host, '127.0.0.1');
  if (isIP(host) && isPrivateAddress(host)) throw new SsrfBlockedError(host, host);
}

/** The host of a URL being saved did not resolve: the operator should check the name (a retry may help later). */
export class HostLookupError extends Error {
  readonly retryable = true;
  constructor(
    readonly host: string,
    readonly code: string,
  ) {
    super(`${host} does not resolve (${code})`);
    this.name = 'HostLookupError';
  }
}

export type ResolveAll = (host: string) => Promise<readonly { address: string }[]>;
const resolveAll: ResolveAll = (host) => dnsLookupAsync(host, { all: true, verbatim: true });

/**
 * For a URL saved now and called later (a webhook target): refuses a literal private address, and resolves a name
 * and refuses it when any of its addresses is private — unless the host is allowed. Throws SsrfBlockedError, or
 * HostLookupError when the name does not resolve. Calls are still checked at connect time (the answer may change).
 */
export async function assertTargetAllowed(url: URL, allowHosts: readonly string[], resolve: ResolveAll = resolveAll): Promise<void> {
  assertUrlAllowed(url, allowHosts);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) || hostAllowed(allowHosts, host, url.port)) return;
  let addresses: readonly { address: string }[];
  try {
    addresses = await resolve(host);
  } catch (err) {
    throw new HostLookupError(host, (err as NodeJS.ErrnoException).code ?? 'lookup failed');
  }
  if (addresses.length === 0) throw new HostLookupError(host, 'no addresses');
  const bad = addresses.find((a) => isPrivateAddress(a.address));
  if (bad) throw new SsrfBlockedError(host, bad.address);
}

type LookupCb = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A dns.lookup replacement for undici's connector that refuses private answers for hosts not allowed. */
export function guardedLookup(allowHosts: readonly string[]) {
  return (hostname: string, options: object, callback: LookupCb): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as LookupAddress[];
      if (!hostAllowed(allowHosts, hostname)) {
        const bad = list.find((a) => isPrivateAddress(a.address));
        if (bad) return callback(new SsrfBlockedError(hostname, bad.address), []);
      }
      if ((options as { all?: boolean }).all) return callback(null, list);
      const first = list[0]!;
      callback(null, first.address, first.family);
    });
  };
}
