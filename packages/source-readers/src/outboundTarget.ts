import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ReadError } from './ReadError.js';

export type OutboundTransport = 'http' | 'https' | 'ssh' | 'git' | 'file';

/** Where an outbound URL (http or git, in any syntax git accepts) would connect. */
export interface OutboundTarget {
  transport: OutboundTransport;
  /** How it was written: `url` (scheme://), `scp` (`[user@]host:path`) or `path` (a local path). */
  syntax: 'url' | 'scp' | 'path';
  /** The host exactly as git/curl/ssh would use it (brackets removed); `''` for file. */
  host: string;
  /** The explicit port, if any. */
  port?: number;
  /** The transport's default port (443, 80, 22, 9418); undefined for file. */
  defaultPort?: number;
  /** The user before `@`, if any. */
  user?: string;
  /** For `file`: the absolute local path. */
  filePath?: string;
}

const SCHEMES: Record<string, OutboundTransport> = {
  http: 'http',
  https: 'https',
  ssh: 'ssh',
  'git+ssh': 'ssh',
  'ssh+git': 'ssh',
  git: 'git',
  file: 'file',
};
const DEFAULT_PORTS: Record<Exclude<OutboundTransport, 'file'>, number> = { http: 80, https: 443, ssh: 22, git: 9418 };
// Host names: letters, digits, `.`, `-`, `_` (some internal names use it). IP literals are checked apart.
const HOST_NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_.])?$/;
// Userinfo characters that cannot change how the authority splits.
const USER_INFO = /^[A-Za-z0-9._~!$&'()*+,;=:-]*$/;

function refuse(target: string, reason: string): ReadError {
  return new ReadError('security', `Refusing ${JSON.stringify(target)}: ${reason}`);
}

/**
 * Classifies an outbound target the way git does (transport.c / connect.c), so the host checked
 * is the host git, curl or ssh will contact:
 * - `<helper>::<address>` (remote helpers such as `ext::`) is refused;
 * - `scheme://...` with http, https, ssh, git+ssh, ssh+git, git or file; other schemes refused;
 * - `[user@]host:path` and `[user@][host]:path` (no `/` before the first `:`) are ssh;
 * - anything else is a local path (file transport), which must be absolute.
 * Authorities that different parsers could split differently (`%`, `\`, several `@`, control
 * characters or spaces, a host or user starting with `-`) are refused rather than interpreted.
 */
export function parseOutboundTarget(target: string): OutboundTarget {
  if (typeof target !== 'string' || target.length === 0) throw new ReadError('read', 'The URL is empty');
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(target) || target !== target.trim()) {
    throw refuse(target, 'it contains control characters or surrounding spaces');
  }
  if (target.startsWith('-')) throw refuse(target, 'it starts with "-"');
  const helper = /^([A-Za-z][A-Za-z0-9+.-]*)::/.exec(target);
  if (helper) throw refuse(target, `the "${helper[1]}::" remote helper syntax is not allowed`);

  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(target);
  if (scheme) return parseUrlForm(target, scheme[1]!.toLowerCase());
  if (target.includes(' ') && !target.startsWith('/')) throw refuse(target, 'it contains a space');

  const colon = target.indexOf(':');
  const slash = target.indexOf('/');
  if (colon === -1 || (slash !== -1 && slash < colon)) return localPath(target, target);
  if (/^[A-Za-z]:[\\/]/.test(target)) throw refuse(target, 'Windows paths are not supported');
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(target) && !target.includes('@') && /^(https?|ssh|git|file|ftp|ftps|ext|fd|javascript|data):/i.test(target)) {
    throw refuse(target, 'it looks like a URL without "//"');
  }
  return parseScpForm(target);
}

function localPath(target: string, p: string): OutboundTarget {
  if (!path.isAbsolute(p)) throw refuse(target, 'a local repository path must be absolute');
  return { transport: 'file', syntax: 'path', host: '', filePath: path.resolve(p) };
}

function parseScpForm(target: string): OutboundTarget {
  // git: an `@[` starts a bracketed host after the user; a leading `[` brackets the host.
  let user: string | undefined;
  let host: string;
  let rest: string;
  const at = target.indexOf('@[');
  const start = at >= 0 ? at + 1 : 0;
  if (target[start] === '[') {
    const close = target.indexOf(']', start);
    if (close === -1) throw refuse(target, 'unbalanced "["');
    user = at >= 0 ? target.slice(0, at) : undefined;
    host = target.slice(start + 1, close);
    rest = target.slice(close + 1);
    if (!rest.startsWith(':')) throw refuse(target, 'expected ":" after "]"');
  } else {
    const colon = target.indexOf(':');
    const userHost = target.slice(0, colon);
    const lastAt = userHost.lastIndexOf('@');
    user = lastAt >= 0 ? userHost.slice(0, lastAt) : undefined;
    host = userHost.slice(lastAt + 1);
    rest = target.slice(colon);
  }
  let port: number | undefined;
  // `[host:port]:path` (git reads a port inside the brackets); IPv6 literals stay whole.
  if (!net.isIPv6(host.replace(/%.*$/, '')) && host.includes(':')) {
    const m = /^(.*):(\d{1,5})$/.exec(host);
    if (!m) throw refuse(target, `the host ${JSON.stringify(host)} is not valid`);
    host = m[1]!;
    port = checkedPort(target, m[2]!);
  }
  checkUser(target, user);
  checkHost(target, host);
  if (rest.length <= 1) throw refuse(target, 'the repository path is empty');
  return { transport: 'ssh', syntax: 'scp', host, ...(port !== undefined ? { port } : {}), defaultPort: 22, ...(user !== undefined ? { user } : {}) };
}

function parseUrlForm(target: string, scheme: string): OutboundTarget {
  const transport = SCHEMES[scheme];
  if (!transport) throw refuse(target, `the ${scheme}:// transport is not supported (use https, http, ssh, git or file)`);
  if (target.includes('\\') || target.includes(' ')) throw refuse(target, 'it contains "\\" or a space');
  const afterScheme = target.slice(scheme.length + 3);
  if (transport === 'file') {
    let filePath: string;
    try {
      filePath = fileURLToPath(target);
    } catch (error) {
      throw refuse(target, (error as Error).message);
    }
    return { transport: 'file', syntax: 'url', host: '', filePath: path.resolve(filePath) };
  }
  // git splits ssh:// and git:// authorities at the first `/` only (and url-decodes first);
  // curl and WHATWG stop http(s) authorities at `/`, `?` or `#`. Take the longer reading and
  // refuse anything in it that the shorter one could disagree on.
  const end = afterScheme.search(transport === 'http' || transport === 'https' ? /[/?#]/ : /\//);
  const authority = end === -1 ? afterScheme : afterScheme.slice(0, end);
  if (/[%?#]/.test(authority)) throw refuse(target, 'percent-encoding, "?" and "#" are not allowed before the path');
  const lastAt = authority.lastIndexOf('@');
  const user = lastAt >= 0 ? authority.slice(0, lastAt) : undefined;
  if (user !== undefined && (user.includes('@') || !USER_INFO.test(user))) throw refuse(target, 'the user part is ambiguous');
  const hostPort = authority.slice(lastAt + 1);
  let host: string;
  let portText: string | undefined;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close === -1) throw refuse(target, 'unbalanced "["');
    host = hostPort.slice(1, close);
    const after = hostPort.slice(close + 1);
    if (after && !/^:\d*$/.test(after)) throw refuse(target, 'unexpected text after "]"');
    portText = after.slice(1) || undefined;
    if (!net.isIPv6(host)) throw refuse(target, `[${host}] is not an IPv6 address`);
  } else {
    const colon = hostPort.indexOf(':');
    host = colon === -1 ? hostPort : hostPort.slice(0, colon);
    portText = colon === -1 ? undefined : hostPort.slice(colon + 1) || undefined;
  }
  checkUser(target, user);
  checkHost(target, host);
  const port = portText !== undefined ? checkedPort(target, portText) : undefined;
  if (transport === 'http' || transport === 'https') {
    // The host curl will use must be the host WHATWG (and so our HTTP client) sees.
    let whatwg: URL;
    try {
      whatwg = new URL(target);
    } catch {
      throw new ReadError('read', `${JSON.stringify(target)} is not a valid URL`);
    }
    const ours = host.toLowerCase();
    const theirs = whatwg.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (ours !== theirs && !sameIp(ours, theirs)) throw refuse(target, `the host is ambiguous (${ours} or ${theirs})`);
  }
  return {
    transport,
    syntax: 'url',
    host,
    ...(port !== undefined ? { port } : {}),
    defaultPort: DEFAULT_PORTS[transport],
    ...(user !== undefined ? { user } : {}),
  };
}

function sameIp(a: string, b: string): boolean {
  const x = legacyIPv4(a) ?? a;
  const y = legacyIPv4(b) ?? b;
  if (x === y) return true;
  if (net.isIPv6(x) && net.isIPv6(y)) return expandV6(x) === expandV6(y);
  return false;
}

function expandV6(a: string): string {
  return new URL(`http://[${a}]/`).hostname;
}

function checkedPort(target: string, text: string): number {
  const port = Number(text);
  if (!/^\d{1,5}$/.test(text) || port < 1 || port > 65535) throw refuse(target, `the port ${JSON.stringify(text)} is not valid`);
  return port;
}

function checkUser(target: string, user: string | undefined): void {
  if (user === undefined) return;
  if (user.startsWith('-')) throw refuse(target, 'the user starts with "-"');
  if (!USER_INFO.test(user)) throw refuse(target, 'the user part has characters that are not allowed');
}

function checkHost(target: string, host: string): void {
  if (!host) throw refuse(target, 'the host is empty');
  if (host.startsWith('-')) throw refuse(target, 'the host starts with "-"');
  const bare = host.replace(/%[A-Za-z0-9._~-]+$/, '');
  if (net.isIPv6(bare)) return;
  if (!HOST_NAME.test(host)) throw refuse(target, `the host ${JSON.stringify(host)} is not a valid host name`);
}

/**
 * An IPv4 address written the way `inet_aton` (and so getaddrinfo, ssh and curl) accepts:
 * `127.1`, `2130706433`, `0x7f.0.0.1`, `0177.0.0.1`; the dotted quad, or undefined when the
 * text is not numeric. Throws nothing: an out-of-range number is undefined (not an address).
 */
export function legacyIPv4(host: string): string | undefined {
  const text = host.replace(/\.$/, '');
  if (!/^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}$/i.test(text)) return undefined;
  const parts = text.split('.').map((p) => {
    if (/^0x/i.test(p)) return p.length === 2 ? 0 : parseInt(p.slice(2), 16);
    if (/^0[0-7]+$/.test(p)) return parseInt(p, 8);
    if (/^0[0-9]+$/.test(p)) return NaN; // 08, 09: invalid octal
    return parseInt(p, 10);
  });
  if (parts.some((n) => !Number.isFinite(n))) return undefined;
  const last = parts.pop()!;
  if (parts.some((n) => n > 255)) return undefined;
  if (last >= 256 ** (4 - parts.length)) return undefined;
  const bytes = [...parts];
  for (let i = 3 - parts.length; i >= 0; i--) bytes.push(Math.floor(last / 256 ** i) % 256);
  return bytes.join('.');
}
