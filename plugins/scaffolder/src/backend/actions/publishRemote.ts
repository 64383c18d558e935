import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { assertOutboundAllowed, isWithin, ReadError, type CheckedOutboundTarget, type RunGitOptions } from '@atrium/source-readers';

/** A remote publish:git may push to, after every check, with the git options that reach it. */
export type PublishRemote =
  | { kind: 'file'; url: string; path: string; /** It does not exist yet: publish:git creates it as a bare repository. */ create: boolean; git: RunGitOptions }
  | { kind: 'network'; url: string; /** Where git pushes: `url`, or for git:// the checked address. */ pushUrl: string; host: string; git: RunGitOptions };

export interface PublishRemoteRules {
  /** Local bare repositories may live only under these folders; a bare name goes into the first. */
  fileRoots: string[];
  allowPrivateNetworks: boolean;
}

export class PublishRemoteError extends Error {
  constructor(message: string) {
    super(`publish:git: ${message}`);
    this.name = 'PublishRemoteError';
  }
}

const NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*(\/[A-Za-z0-9_][A-Za-z0-9._-]*)*$/;
const PRIVATE_NETWORKS_KEY = 'scaffolder.publish.allowPrivateNetworks';

/**
 * Checks a publish:git `repoUrl` and says how to reach it. Accepted: a bare name (`orders.git`,
 * created in the first publish root), `file://` URLs and absolute paths under the publish roots
 * (checked on the real path, so a symlink cannot lead out), and remotes in any syntax git
 * accepts (https, http, git, ssh, `user@host:path`) that pass the shared outbound guard: no
 * loopback, private, link-local or reserved destination, checked after resolution, unless
 * `scaffolder.publish.allowPrivateNetworks`. Git is then pinned to the checked addresses.
 */
export async function checkPublishRemote(repoUrl: string, rules: PublishRemoteRules): Promise<PublishRemote> {
  if (typeof repoUrl !== 'string' || repoUrl.startsWith('-') || /[\0-\x20\x7f]/.test(repoUrl)) {
    throw new PublishRemoteError(`${JSON.stringify(repoUrl)} is not a valid git remote URL`);
  }
  if (NAME.test(repoUrl) && !repoUrl.includes(':')) {
    const root = rules.fileRoots[0];
    if (!root) throw new PublishRemoteError(`${JSON.stringify(repoUrl)} names a local repository, but no scaffolder.publish.fileRoots are configured`);
    return fileRemote(path.join(path.resolve(root), repoUrl), rules.fileRoots);
  }
  let target: CheckedOutboundTarget;
  try {
    target = await assertOutboundAllowed(repoUrl, {
      allowPrivateNetworks: rules.allowPrivateNetworks,
      allowFile: true,
      transports: ['https', 'http', 'ssh', 'git', 'file'],
      privateNetworksKey: PRIVATE_NETWORKS_KEY,
    });
  } catch (error) {
    if (error instanceof ReadError) {
      throw new PublishRemoteError(
        `${error.message}. repoUrl must be a git remote (https://, ssh://, git@host:path, file:///path/repo.git) or a repository name such as orders.git; for SaaS hosts (github.com?owner=..&repo=..) use publish:github.`,
      );
    }
    throw error;
  }
  if (target.transport === 'file') return fileRemote(target.filePath!, rules.fileRoots);
  return { kind: 'network', url: repoUrl, pushUrl: pushUrlOf(repoUrl, target), host: target.host, git: transportOptions(target, rules.allowPrivateNetworks) };
}

async function fileRemote(target: string, roots: string[]): Promise<PublishRemote> {
  const where = `scaffolder.publish.fileRoots: ${roots.join(', ') || 'none'}`;
  const resolved = roots.map((r) => path.resolve(r));
  const realRoots = await Promise.all(resolved.map(realish));
  const real = await realish(target);
  const inside = resolved.some((r) => isWithin(r, target) && r !== target) && realRoots.some((r) => isWithin(r, real) && r !== real);
  if (!inside) throw new PublishRemoteError(`the file remote ${target} is outside the allowed roots (${where})`);
  const exists = await fs.lstat(target).then(
    () => true,
    () => false,
  );
  return { kind: 'file', url: pathToFileURL(target).href, path: target, create: !exists, git: { allowFileProtocol: true } };
}

/** Real path of `p`, or of its deepest existing ancestor joined with the rest. */
async function realish(p: string): Promise<string> {
  try {
    return await fs.realpath(p);
  } catch {
    const parent = path.dirname(p);
    return parent === p ? p : path.join(await realish(parent), path.basename(p));
  }
}

/** Only the checked transport, connected to the addresses the guard checked (not a second DNS answer). */
function transportOptions(target: CheckedOutboundTarget, allowPrivateNetworks: boolean): RunGitOptions {
  const config: Record<string, string> = {};
  if (!allowPrivateNetworks) config['http.followRedirects'] = 'false';
  const pinned = target.addresses.length > 0 && !net.isIP(target.host.replace(/%.*$/, ''));
  if (target.transport === 'ssh') {
    const ssh = process.env['GIT_SSH_COMMAND'] ?? 'ssh -o BatchMode=yes';
    return { allowSsh: true, sshCommand: pinned ? `${ssh} -o HostName=${target.addresses[0]}` : ssh, config };
  }
  if ((target.transport === 'http' || target.transport === 'https') && pinned) {
    const list = target.addresses.map((a) => (net.isIPv6(a) ? `[${a}]` : a)).join(',');
    config['http.curloptResolve'] = `${target.host}:${target.port ?? target.defaultPort}:${list}`;
  }
  return { config };
}

/** git:// has no way to pin an address but the URL itself. */
function pushUrlOf(repoUrl: string, target: CheckedOutboundTarget): string {
  if (target.transport !== 'git' || target.addresses.length === 0 || net.isIP(target.host)) return repoUrl;
  const address = target.addresses[0]!;
  const host = net.isIPv6(address) ? `[${address}]` : address;
  return repoUrl.replace(/^git:\/\/[^/]*/i, `git://${host}${target.port ? `:${target.port}` : ''}`);
}
