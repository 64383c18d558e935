import net from 'node:net';

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
  return V4_BLOCKS.some(([base, mask]) => ((n & mask) >>> 0) === base);
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
  if (allZero(0, 12)) return isPrivateV4(v4()); // deprecated IPv4-compatible
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && allZero(4, 12)) return isPrivateV4(v4()); // NAT64
  if (b[0] === 0x20 && b[1] === 0x02) return isPrivateV4(b.slice(2, 6)); // 6to4
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
  const h = host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  return allowed.some((pattern) => {
    const p = pattern.toLowerCase();
    return p.startsWith('*.') ? h.endsWith(p.slice(1)) && h.length > p.length - 1 : h === p;
  });
}
