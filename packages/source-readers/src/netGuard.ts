import dns from 'node:dns/promises';
import net from 'node:net';
import { ReadError } from './ReadError.js';
import { legacyIPv4, parseOutboundTarget, type OutboundTarget, type OutboundTransport } from './outboundTarget.js';

/**
 * Classifies IP addresses that a `url` location must not reach unless private networks are
 * allowed: loopback, private (RFC 1918), carrier-grade NAT, link-local, unique-local,
 * multicast, reserved and unspecified addresses, including IPv4 addresses wrapped in IPv6
 * (mapped `::ffff:a.b.c.d`, compatible, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`).
 */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (net.isIPv4(bare)) return isPrivateV4(parseV4(bare));
  if (net.isIPv6(bare)) return isPrivateV6(parseV6(bare));
  return true; // not an IP at all: refuse rather than guess
}

function parseV4(address: string): number[] {
  return address.split('.').map(Number);
}

const V4_BLOCKS: Array<[number, number, number]> = [
  // [first octets as a 32-bit number, prefix length]
  ...(
    [
      ['0.0.0.0', 8],
      ['10.0.0.0', 8],
      ['100.64.0.0', 10],
      ['127.0.0.0', 8],
      ['169.254.0.0', 16],
      ['172.16.0.0', 12],
      ['192.0.0.0', 24],
      ['192.0.2.0', 24],
      ['192.88.99.0', 24],
      ['192.168.0.0', 16],
      ['198.18.0.0', 15],
      ['198.51.100.0', 24],
      ['203.0.113.0', 24],
      ['224.0.0.0', 4],
      ['240.0.0.0', 4],
    ] as Array<[string, number]>
  ).map(([a, bits]): [number, number, number] => {
    const n = toUint32(parseV4(a));
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return [(n & mask) >>> 0, mask, bits];
  }),
];

function toUint32(octets: number[]): number {
  return (((octets[0] ?? 0) << 24) | ((octets[1] ?? 0) << 16) | ((octets[2] ?? 0) << 8) | (octets[3] ?? 0)) >>> 0;
}

function isPrivateV4(octets: number[]): boolean {
  const n = toUint32(octets);
  return V4_BLOCKS.some(([base, mask]) => (n & mask) >>> 0 === base);
}

/** 16 bytes of an IPv6 address (which net.isIPv6 has already validated). */
function parseV6(address: string): number[] {
  let text = address.toLowerCase();
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    const [a = 0, b = 0, c = 0, d = 0] = parseV4(last);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const groupsOf = (s: string) => (s === '' ? [] : s.split(':').map((x) => parseInt(x, 16)));
  const parts = text.split('::');
  const head = groupsOf(parts[0] ?? '');
  const tail = parts.length > 1 ? groupsOf(parts[1] ?? '') : [];
  const groups = parts.length > 1 ? [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail] : head;
  const bytes: number[] = [];
  for (const g of groups) bytes.push((g >> 8) & 0xff, g & 0xff);
  return bytes;
}

function isPrivateV6(b: number[]): boolean {
  const allZero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const v4 = () => b.slice(12, 16);
  if (allZero(0, 16)) return true; // ::
  if (allZero(0, 15) && b[15] === 1) return true; // ::1
  if (allZero(0, 10) && b[10] === 0xff && b[11] === 0xff) return isPrivateV4(v4()); // ::ffff:a.b.c.d
  if (allZero(0, 8) && b[8] === 0xff && b[9] === 0xff && allZero(10, 12)) return isPrivateV4(v4()); // ::ffff:0:a.b.c.d (IPv4-translated)
  if (allZero(0, 12)) return isPrivateV4(v4()); // deprecated IPv4-compatible
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && allZero(4, 12)) return isPrivateV4(v4()); // NAT64
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && b[4] === 0x00 && b[5] === 0x01) return true; // 64:ff9b:1::/48 local NAT64
  if (b[0] === 0x20 && b[1] === 0x02) return isPrivateV4(b.slice(2, 6)); // 6to4
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x00 && b[3] === 0x00) return true; // Teredo (hides an IPv4 address)
  if (b[0] === 0x01 && b[1] === 0x00 && allZero(2, 8)) return true; // 100::/64 discard
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x00 && ((b[3] ?? 0) & 0xf0) === 0x10) return true; // ORCHID
  const first = b[0] ?? 0;
  if ((first & 0xfe) === 0xfc) return true; // fc00::/7 unique local
  if (first === 0xfe && ((b[1] ?? 0) & 0xc0) === 0x80) return true; // fe80::/10 link-local
  if (first === 0xfe && ((b[1] ?? 0) & 0xc0) === 0xc0) return true; // fec0::/10 site-local (deprecated)
  if (first === 0xff) return true; // multicast
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x0d && b[3] === 0xb8) return true; // documentation
  return false;
}

/**
 * Host allow-list check, as Backstage's `backend.reading.allow`: `example.com` matches that
 * host only, `*.example.com` any subdomain of it. An undefined list allows every host.
 */
export function isHostAllowed(host: string, allowed: readonly string[] | undefined): boolean {
  if (!allowed) return true;
  const h = host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  return allowed.some((pattern) => {
    const p = pattern.toLowerCase();
    return p.startsWith('*.') ? h.endsWith(p.slice(1)) && h.length > p.length - 1 : h === p;
  });
}

// Names that only ever mean this machine or a private network (RFC 6761, 6762, 8375, cloud
// metadata services, de-facto private suffixes). Matched after lower-casing and removing
// trailing dots, as the name itself or as a suffix.
const RESERVED_NAMES = [
  'localhost',
  'localdomain',
  'local',
  'internal',
  'intranet',
  'lan',
  'corp',
  'home',
  'private',
  'arpa',
  'test',
  'invalid',
  'example',
  'onion',
];
const RESERVED_HOSTS = new Set(['metadata', 'instance-data', 'ip6-localhost', 'ip6-loopback', 'ip6-localnet', 'broadcasthost', 'wpad']);

/**
 * Whether a host name is reserved for the local machine or private networks: `localhost`,
 * `LOCALHOST.`, `*.localhost`, `*.local`, `*.internal` (`metadata.google.internal`),
 * `*.home.arpa`, `metadata`, `instance-data`, ... (case and trailing dots ignored).
 */
export function isReservedHostName(host: string): boolean {
  const h = host.toLowerCase().replace(/\.+$/, '');
  if (RESERVED_HOSTS.has(h)) return true;
  const labels = h.split('.');
  const tld = labels.at(-1) ?? '';
  return RESERVED_NAMES.includes(tld);
}

export interface OutboundOptions {
  /** Allow loopback, private, link-local and reserved destinations (no resolution is done). */
  allowPrivateNetworks: boolean;
  /** Hosts that may be contacted (`*.example.com` for subdomains); undefined allows all. */
  allowedHosts?: readonly string[];
  /** Accept local repositories (`file://`, absolute paths); the caller confines the path. Default false. */
  allowFile?: boolean;
  /** Transports accepted; default every supported one (http, https, ssh, git, and file if allowFile). */
  transports?: readonly OutboundTransport[];
  /** The config key to name in refusals, e.g. `catalog.readers.allowPrivateNetworks`. */
  privateNetworksKey?: string;
  /** Resolves a host to every address (default: `dns.lookup` with `all: true`). For tests. */
  lookup?: (host: string) => Promise<string[]>;
}

/** An outbound target that passed the guard, with the addresses that were checked. */
export interface CheckedOutboundTarget extends OutboundTarget {
  /**
   * Every address the host resolved to, all of them checked (an IP literal: itself). Connect
   * only to these (pin them) so a second lookup cannot answer differently. Empty when private
   * networks are allowed (nothing was resolved) and for `file`.
   */
  addresses: string[];
}

const defaultLookup = async (host: string): Promise<string[]> => (await dns.lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * The one check every outbound URL goes through: http(s) reads, git fetches in any syntax git
 * accepts (`https://`, `ssh://`, `git+ssh://`, `git://`, `user@host:path`, `[host]:path`,
 * `file://`, local paths) and publish targets. It refuses:
 * - remote-helper syntax (`ext::`, `fd::`, any `<x>::`), unsupported schemes, option-like or
 *   ambiguous targets (see {@link parseOutboundTarget});
 * - local repositories unless `allowFile`;
 * - hosts outside `allowedHosts`;
 * - unless `allowPrivateNetworks`: IP literals in any notation (`127.1`, `2130706433`,
 *   `0x7f.0.0.1`, `[::ffff:127.0.0.1]`, NAT64, 6to4...) in a loopback, private, link-local,
 *   CGNAT, multicast, reserved or documentation range; names resolving (every address, checked
 *   after resolution) to such an address; reserved names ({@link isReservedHostName}) even
 *   when they do not resolve.
 * Throws a ReadError (`security` for refusals, `read` + notFound when a name does not resolve).
 */
export async function assertOutboundAllowed(target: string, options: OutboundOptions): Promise<CheckedOutboundTarget> {
  const parsed = parseOutboundTarget(target);
  const transports = options.transports ?? ['http', 'https', 'ssh', 'git', 'file'];
  if (!transports.includes(parsed.transport)) {
    throw new ReadError(
      'security',
      `Refusing ${JSON.stringify(target)}: the ${parsed.transport} transport is not allowed here (allowed: ${transports.join(', ')})`,
    );
  }
  if (parsed.transport === 'file') {
    if (!options.allowFile) throw new ReadError('security', `Refusing ${JSON.stringify(target)}: local repositories are not allowed here`);
    return { ...parsed, addresses: [] };
  }
  const host = parsed.host;
  if (!isHostAllowed(host, options.allowedHosts)) {
    throw new ReadError('security', `Refusing ${JSON.stringify(target)}: host ${host} is not in the allowed URL hosts`);
  }
  if (options.allowPrivateNetworks) return { ...parsed, addresses: [] };
  const allowHint = options.privateNetworksKey ? `set ${options.privateNetworksKey}: true to allow it` : 'set allowPrivateNetworks to allow it';
  const refusePrivate = (address: string, how: string) =>
    new ReadError('security', `Refusing ${JSON.stringify(target)}: ${how} ${address}, a loopback, private or link-local address (${allowHint})`);

  const bare = host.replace(/%.*$/, '');
  const literal = net.isIP(bare) ? bare : legacyIPv4(host);
  if (literal !== undefined) {
    if (isPrivateAddress(literal)) throw refusePrivate(literal, literal === host ? 'it is' : `${host} is`);
    return { ...parsed, addresses: [literal] };
  }
  const reserved = isReservedHostName(host);
  let addresses: string[];
  try {
    addresses = await (options.lookup ?? defaultLookup)(host);
  } catch {
    if (reserved) throw new ReadError('security', `Refusing ${JSON.stringify(target)}: ${host} is a reserved name for local or internal hosts (${allowHint})`);
    throw new ReadError('read', `Cannot resolve host ${host} (${target})`, { notFound: true });
  }
  const bad = addresses.find((a) => isPrivateAddress(a));
  if (bad) throw refusePrivate(bad, `${host} resolves to`);
  if (reserved) throw new ReadError('security', `Refusing ${JSON.stringify(target)}: ${host} is a reserved name for local or internal hosts (${allowHint})`);
  if (addresses.length === 0) throw new ReadError('read', `Cannot resolve host ${host} (${target}): no addresses`, { notFound: true });
  return { ...parsed, addresses };
}
