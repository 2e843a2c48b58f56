// TRUST_PROXY's values: whom Fastify believes about the client's address (X-Forwarded-For).
import { isIP } from 'node:net';

export type TrustProxy = boolean | number | readonly string[];

/** proxy-addr's names for ranges, accepted in a TRUST_PROXY list. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** TRUST_PROXY: false/true, a hop count, or a comma list of addresses, CIDRs and range names; a problem otherwise. */
export function parseTrustProxy(raw: string): { value: TrustProxy } | { problem: string } {
  const text = raw.trim();
  if (/^(|0|false|no|off)$/i.test(text)) return { value: false };
  if (/^(true|yes|on)$/i.test(text)) return { value: true };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return hops <= 100 ? { value: hops } : { problem: `TRUST_PROXY hop count must be at most 100, got ${hops}` };
  }
  const list = text
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const bad = list.filter((item) => !PROXY_RANGE_NAMES.includes(item.toLowerCase()) && !isAddressOrCidr(item));
  if (bad.length > 0)
    return {
      problem: `TRUST_PROXY must be false, true, a hop count or a comma list of proxy addresses/CIDRs; not an address or CIDR: ${bad.map((b) => `"${b}"`).join(', ')}`,
    };
  return { value: list.map((item) => (PROXY_RANGE_NAMES.includes(item.toLowerCase()) ? item.toLowerCase() : item)) };
}

function isAddressOrCidr(item: string): boolean {
  const [address = '', prefix, extra] = item.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}
