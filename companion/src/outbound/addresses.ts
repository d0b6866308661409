import { isIP } from 'node:net';

/*
 * Which addresses are the public Internet, for the SSRF checks of caller-supplied URLs (public-url.ts).
 */

/** IPv4 ranges that are not the public Internet (RFC 6890 and friends). */
const V4_BLOCKED: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // CGNAT (Alibaba's metadata 100.100.100.200 among it)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata 169.254.169.254
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];

function v4ToNumber(address: string): number | undefined {
  const parts = address.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return undefined;
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

function isPublicV4(value: number): boolean {
  return !V4_BLOCKED.some(([base, prefix]) => {
    const size = 2 ** (32 - prefix);
    const start = v4ToNumber(base) as number;
    return value >= start && value < start + size;
  });
}

/** 128-bit value of an IPv6 address (zone ids dropped), or undefined when it is not one. */
function v6ToBigInt(address: string): bigint | undefined {
  let text = address.split('%')[0] ?? '';
  // A trailing dotted IPv4 (::ffff:127.0.0.1) becomes its two hex groups.
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = v4ToNumber(dotted[2] as string);
    if (v4 === undefined) return undefined;
    text = `${dotted[1] as string}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string | undefined) => (part ? part.split(':') : []);
  const head = groupsOf(halves[0]);
  const rest = groupsOf(halves[1]);
  if (![...head, ...rest].every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return undefined;
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array.from({ length: missing }, () => '0'), ...rest];
  return groups.reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n);
}

const inV6 = (value: bigint, base: bigint, prefix: number) => value >> BigInt(128 - prefix) === base >> BigInt(128 - prefix);
const V6 = (text: string) => v6ToBigInt(text) as bigint;

function isPublicV6(value: bigint): boolean {
  const low32 = Number(value & 0xffffffffn);
  if (inV6(value, V6('::ffff:0:0'), 96)) return isPublicV4(low32); // IPv4-mapped
  if (inV6(value, V6('64:ff9b::'), 96)) return isPublicV4(low32); // NAT64
  if (inV6(value, V6('2002::'), 16)) return isPublicV4(Number((value >> 80n) & 0xffffffffn)); // 6to4
  if (!inV6(value, V6('2000::'), 3)) return false; // only global unicast: no ::, ::1, fc00::/7 (ULA, fd00:ec2::254), fe80::/10, ff00::/8, …
  if (inV6(value, V6('2001::'), 32)) return false; // Teredo
  if (inV6(value, V6('2001:db8::'), 32)) return false; // documentation
  if (inV6(value, V6('2001::'), 23)) return false; // IETF protocol assignments
  return true;
}

/**
 * Whether an IP address is on the public Internet: not loopback, private (RFC 1918, CGNAT 100.64/10,
 * ULA fc00::/7), link-local (169.254/16, fe80::/10, with the cloud metadata addresses), multicast,
 * unspecified, documentation or reserved. IPv4 inside IPv6 (mapped, NAT64, 6to4) is judged as IPv4.
 * Anything unparseable is not public.
 */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address.split('%')[0] ?? '');
  if (family === 4) {
    const value = v4ToNumber(address);
    return value !== undefined && isPublicV4(value);
  }
  if (family === 6) {
    const value = v6ToBigInt(address);
    return value !== undefined && isPublicV6(value);
  }
  return false;
}
