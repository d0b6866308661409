import { isIP } from 'node:net';

/*
 * Which addresses the companion may connect to, for the SSRF checks (targets.ts): which are the public
 * Internet (`isPublicAddress`, what every caller URL must be on unless its app allows private ones), and
 * which are never reached whatever an app or the operator allows (`isNeverReachable`, `isMetadataHost`).
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
 * Addresses no URL may reach, even where private ones are allowed (an app's `allowPrivateUrls`, the
 * operator's `outbound.allowPrivateTargets`): what answers there is the machine's own platform, not a
 * service someone runs. Each with where it comes from.
 */
const V4_NEVER: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this host" (RFC 1122): a connection to 0.0.0.0 reaches the machine itself
  ['169.254.0.0', 16], // link-local (RFC 3927): AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle, Hetzner metadata at 169.254.169.254, AWS ECS credentials at 169.254.170.2
  ['100.100.100.200', 32], // Alibaba Cloud ECS metadata
  ['192.0.0.192', 32], // Oracle Cloud (classic) metadata
  ['168.63.129.16', 32], // Azure WireServer (the host agent's platform address)
];
const V6_NEVER: Array<[string, number]> = [
  ['::', 128], // unspecified: reaches the machine itself
  ['fe80::', 10], // link-local (RFC 4291)
  ['fd00:ec2::', 32], // AWS's own services over IPv6: IMDS fd00:ec2::254, DNS fd00:ec2::253, time fd00:ec2::123
];

/** Host names of cloud metadata services; the address checks catch them too, wherever they resolve to 169.254/16. */
const METADATA_HOSTS = new Set([
  'metadata.google.internal', // Google Cloud (cloud.google.com/compute/docs/metadata/querying-metadata)
  'metadata.goog', // Google Cloud
  'metadata', // Google Cloud's short name inside a VM
  'instance-data', // AWS EC2 (the VPC resolver's name for IMDS)
  'instance-data.ec2.internal', // AWS EC2
  'metadata.tencentyun.com', // Tencent Cloud
  'metadata.platformequinix.com', // Equinix Metal: a public address that answers only its own machines
  'metadata.packet.net', // Equinix Metal's former name (Packet)
]);

const inV4 = (value: number, [base, prefix]: [string, number]) => {
  const start = v4ToNumber(base) as number;
  return value >= start && value < start + 2 ** (32 - prefix);
};

/**
 * The IPv4 addresses an IPv6 address carries, in every form a connection may end up at: mapped
 * (::ffff:a.b.c.d), translated (::ffff:0:a.b.c.d), compatible (::a.b.c.d), NAT64 (64:ff9b::/96 and the
 * local-use 64:ff9b:1::/48), 6to4 (2002:AABB:CCDD::) and Teredo (2001:0:SSSS:SSSS::, client obfuscated).
 */
function embeddedV4(value: bigint): number[] {
  const low32 = Number(value & 0xffffffffn);
  const found: number[] = [];
  if (inV6(value, V6('::ffff:0:0'), 96) || inV6(value, V6('::ffff:0:0:0'), 96) || inV6(value, V6('64:ff9b::'), 96) || inV6(value, V6('64:ff9b:1::'), 48)) found.push(low32);
  // Compatible (deprecated): ::a.b.c.d, but not :: and ::1 themselves.
  if (inV6(value, 0n, 96) && value > 1n) found.push(low32);
  if (inV6(value, V6('2002::'), 16)) found.push(Number((value >> 80n) & 0xffffffffn));
  if (inV6(value, V6('2001::'), 32)) found.push(Number((value >> 64n) & 0xffffffffn), (low32 ^ 0xffffffff) >>> 0);
  return found;
}

/**
 * Whether an address is one no URL may reach (the list above): link-local, unspecified, or a cloud
 * metadata address, also inside IPv6 (mapped, compatible, NAT64, 6to4, Teredo). Anything unparseable is.
 */
export function isNeverReachable(address: string): boolean {
  const parsed = parseAddress(address);
  if (parsed === undefined) return true;
  if (parsed.v4 !== undefined) return V4_NEVER.some((range) => inV4(parsed.v4!, range));
  const v6 = parsed.v6!;
  if (V6_NEVER.some(([base, prefix]) => inV6(v6, V6(base), prefix))) return true;
  return embeddedV4(v6).some((v4) => V4_NEVER.some((range) => inV4(v4, range)));
}

/** Whether a host name names a cloud metadata service (case and a trailing dot do not matter). */
export function isMetadataHost(hostname: string): boolean {
  return METADATA_HOSTS.has(hostname.toLowerCase().replace(/\.+$/, ''));
}

/**
 * Whether an address is this machine: loopback (127/8, ::1), unspecified, or one of `ownAddresses`
 * (its interfaces), also as IPv4 inside IPv6. For the companion's own ports (targets.ts).
 */
export function isThisMachine(address: string, ownAddresses: readonly string[]): boolean {
  const keys = addressKeys(address);
  if (keys.length === 0) return true;
  const loopbackOrUnspecified = keys.some((key) => /^4:(127\.|0\.)/.test(key) || key === '6:0' || key === '6:1');
  if (loopbackOrUnspecified) return true;
  const own = new Set(ownAddresses.flatMap(addressKeys));
  return keys.some((key) => own.has(key));
}

/** Comparable keys of an address: "4:a.b.c.d" for IPv4 (also when mapped or compatible), "6:<value>" otherwise. */
function addressKeys(address: string): string[] {
  const parsed = parseAddress(address);
  if (parsed === undefined) return [];
  const v4Key = (value: number) => `4:${[24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.')}`;
  if (parsed.v4 !== undefined) return [v4Key(parsed.v4)];
  const v6 = parsed.v6!;
  const mapped = inV6(v6, V6('::ffff:0:0'), 96) || (inV6(v6, 0n, 96) && v6 > 1n);
  return mapped ? [v4Key(Number(v6 & 0xffffffffn))] : [`6:${v6.toString(16)}`];
}

function parseAddress(address: string): { v4?: number; v6?: bigint } | undefined {
  const family = isIP(address.split('%')[0] ?? '');
  if (family === 4) {
    const v4 = v4ToNumber(address);
    return v4 === undefined ? undefined : { v4 };
  }
  if (family === 6) {
    const v6 = v6ToBigInt(address);
    return v6 === undefined ? undefined : { v6 };
  }
  return undefined;
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
