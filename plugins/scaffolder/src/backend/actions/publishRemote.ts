import dns from 'node:dns/promises';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isPrivateAddress, isWithin } from '@atrium/source-readers';

/** A remote publish:git may push to, after every check. */
export type PublishRemote =
  | { kind: 'file'; url: string; path: string; /** It does not exist yet: publish:git creates it as a bare repository. */ create: boolean }
  | { kind: 'network'; url: string; host: string }
  | { kind: 'ssh'; url: string; host: string };

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
// git's scp-like syntax: [user@]host:path, with no slash before the first colon.
const SCP = /^(?:[^@/:\s]+@)?(\[[^\]]+\]|[^/:\s]+):(?!\/\/)(.+)$/;

/**
 * Checks a publish:git `repoUrl` and says how to reach it. Accepted: a bare name (`orders.git`,
 * created in the first publish root), `file://` paths under the publish roots (checked on the
 * real path, so a symlink cannot lead out), and https/http/git/ssh remotes, scp-style
 * `user@host:path` included, whose host is not on a loopback, private or reserved address
 * (checked on every address the name resolves to) unless private networks are allowed.
 */
export async function checkPublishRemote(repoUrl: string, rules: PublishRemoteRules): Promise<PublishRemote> {
  if (typeof repoUrl !== 'string' || repoUrl.startsWith('-') || /[\0-\x20\x7f]/.test(repoUrl)) {
    throw new PublishRemoteError(`${JSON.stringify(repoUrl)} is not a valid git remote URL`);
  }
  if (NAME.test(repoUrl) && !repoUrl.split('/').includes('..')) {
    const root = rules.fileRoots[0];
    if (!root) throw new PublishRemoteError(`${JSON.stringify(repoUrl)} names a local repository, but no scaffolder.publish.fileRoots are configured`);
    return fileRemote(path.join(path.resolve(root), repoUrl), rules.fileRoots);
  }
  const scp = SCP.exec(repoUrl);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(repoUrl)) {
    const host = scp[1]!.replace(/^\[|\]$/g, '');
    await guardHost(host, rules.allowPrivateNetworks, repoUrl);
    return { kind: 'ssh', url: repoUrl, host };
  }
  let url: URL;
  try {
    url = new URL(repoUrl);
  } catch {
    throw new PublishRemoteError(
      `repoUrl must be a git remote URL (https://, ssh://, git@host:path, file:///path/repo.git) or a repository name such as orders.git, got ${JSON.stringify(repoUrl)}. For SaaS hosts (github.com?owner=..&repo=..) use publish:github.`,
    );
  }
  if (url.protocol === 'file:') {
    if (url.host && url.host !== 'localhost') throw new PublishRemoteError(`file remotes must be local paths, got ${JSON.stringify(repoUrl)}`);
    return fileRemote(path.resolve(fileURLToPath(url)), rules.fileRoots);
  }
  if (!['http:', 'https:', 'ssh:', 'git:'].includes(url.protocol)) throw new PublishRemoteError(`the ${url.protocol} transport is not allowed`);
  if (!url.hostname) throw new PublishRemoteError(`${JSON.stringify(repoUrl)} has no host`);
  await guardHost(url.hostname, rules.allowPrivateNetworks, repoUrl);
  return url.protocol === 'ssh:' ? { kind: 'ssh', url: repoUrl, host: url.hostname } : { kind: 'network', url: repoUrl, host: url.hostname };
}

async function fileRemote(target: string, roots: string[]): Promise<PublishRemote> {
  const where = `scaffolder.publish.fileRoots: ${roots.join(', ') || 'none'}`;
  const realRoots = await Promise.all(roots.map((r) => realish(path.resolve(r))));
  const lexical = roots.some((r) => isWithin(path.resolve(r), target) && path.resolve(r) !== target);
  const real = await realish(target);
  if (!lexical || !realRoots.some((r) => isWithin(r, real) && r !== real)) {
    throw new PublishRemoteError(`the file remote ${target} is outside the allowed roots (${where})`);
  }
  const exists = await fs.lstat(target).then(
    () => true,
    () => false,
  );
  return { kind: 'file', url: pathToFileURL(target).href, path: target, create: !exists };
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

async function guardHost(host: string, allowPrivateNetworks: boolean, repoUrl: string): Promise<void> {
  if (allowPrivateNetworks) return;
  const name = host.toLowerCase().replace(/\.$/, '');
  let addresses: string[];
  if (net.isIP(name)) addresses = [name];
  else {
    try {
      addresses = (await dns.lookup(name, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      throw new PublishRemoteError(`cannot resolve the host ${host} of ${repoUrl}`);
    }
  }
  if (addresses.length === 0 || addresses.some((a) => isPrivateAddress(a))) {
    throw new PublishRemoteError(
      `the remote ${repoUrl} is on a loopback, private or reserved address; set scaffolder.publish.allowPrivateNetworks to push there`,
    );
  }
}
