import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ReadError } from './ReadError.js';
import type { FileReader } from './fileReader.js';
import { tooLarge } from './fileReader.js';
import { validateGitRef } from './gitRef.js';
import { GitCommandError, isGitMetadataPath, runGit, runGitBuffer, type RunGitOptions } from './gitRunner.js';
import { assertOutboundAllowed, type CheckedOutboundTarget } from './netGuard.js';

export interface GitReaderOptions {
  cacheDir: string;
  timeoutMs: number;
  maxBytes: number;
  allowPrivateNetworks: boolean;
  /** Hosts git may fetch from over the network; undefined allows all. */
  allowedHosts?: readonly string[];
  /** The config key refusals name, e.g. `catalog.readers.allowPrivateNetworks`. */
  privateNetworksKey?: string;
  /** file:// repositories must live under the file roots this reader allows. */
  files: FileReader;
  /** A ref fetched into the same cache less than this long ago is not fetched again. Default 0. */
  fetchTtlMs?: number;
  signal?: AbortSignal;
}

/** One commit of one repository, fetched into the local cache. */
export interface GitTree {
  repo: string;
  ref: string;
  commit: string;
  /** Every file path in the commit, `/`-separated. */
  list(): Promise<string[]>;
  read(filePath: string): Promise<Buffer>;
}

// Fetches into one cache directory run one at a time (FETCH_HEAD and shallow files are shared):
// in this thread through a promise chain, and across threads and processes sharing the cache
// (the catalog's read workers, other plugins, a second replica on the same disk) through a lock
// directory beside the repository, which `mkdir` creates atomically.
const cacheLocks = new Map<string, Promise<unknown>>();
// Commit each ref resolved to at its last fetch, per cache directory, for fetchTtlMs.
const recentFetches = new Map<string, { commit: string; at: number }>();

async function withLock<T>(key: string, staleMs: number, fn: () => Promise<T>): Promise<T> {
  const previous = cacheLocks.get(key) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => withDirLock(`${key}.lock`, staleMs, fn));
  const tail = run.catch(() => undefined);
  cacheLocks.set(key, tail);
  try {
    return await run;
  } finally {
    if (cacheLocks.get(key) === tail) cacheLocks.delete(key);
  }
}

/** Holds `lockDir` while `fn` runs; a lock older than `staleMs` was left by a dead holder and is taken over. */
async function withDirLock<T>(lockDir: string, staleMs: number, fn: () => Promise<T>): Promise<T> {
  await fs.mkdir(path.dirname(lockDir), { recursive: true });
  for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
    try {
      await fs.mkdir(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const held = await fs.stat(lockDir).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (held > staleMs) await fs.rm(lockDir, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(lockDir, { recursive: true, force: true });
  }
}

/**
 * Reads files from git repositories nobody vouches for, with the git CLI through runGit (no
 * hooks, submodules, config includes, drivers, ssh command or helpers from anywhere but us):
 * a shallow fetch of the ref into a bare repository we create in `cacheDir` (one per
 * repository URL), then `ls-tree` and `cat-file` on the fetched commit - no work tree is ever
 * checked out. The repository goes through the shared outbound guard (assertOutboundAllowed)
 * and git connects to the addresses it checked. User input never reaches git as an option:
 * repository URLs follow `--`, refs are validated, paths are prefixed with the commit hash.
 */
export class GitReader {
  private readonly trees = new Map<string, Promise<GitTree>>();

  constructor(private readonly options: GitReaderOptions) {}

  /** Fetches `ref` of `repo` once per reader; later calls reuse the same commit. */
  open(repo: string, ref: string): Promise<GitTree> {
    const key = `${repo}#${ref}`;
    let tree = this.trees.get(key);
    if (!tree) {
      tree = this.fetch(repo, ref);
      this.trees.set(key, tree);
    }
    return tree;
  }

  private async fetch(repo: string, ref: string): Promise<GitTree> {
    const target = await this.checkRepository(repo);
    try {
      validateGitRef(ref);
    } catch (error) {
      throw new ReadError('security', (error as Error).message);
    }
    const dir = path.join(this.options.cacheDir, `${createHash('sha256').update(repo).digest('hex').slice(0, 24)}.git`);
    const base = { gitDir: dir, timeoutMs: this.options.timeoutMs, ...(this.options.signal ? { signal: this.options.signal } : {}) };
    const commit = await withLock(dir, Math.max(60_000, 2 * this.options.timeoutMs), async () => {
      await fs.mkdir(this.options.cacheDir, { recursive: true });
      try {
        await fs.access(path.join(dir, 'HEAD'));
      } catch {
        await this.git(['init', '--bare', '--quiet', dir], { timeoutMs: this.options.timeoutMs });
      }
      if (/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(ref)) {
        const known = await this.git(['cat-file', '-e', `${ref}^{commit}`], base).then(
          () => true,
          () => false,
        );
        if (known) return ref;
      }
      const recent = recentFetches.get(`${dir}\n${ref}`);
      if (recent && Date.now() - recent.at < (this.options.fetchTtlMs ?? 0)) return recent.commit;
      try {
        await runGit(['fetch', '--depth=1', '--no-tags', '--no-recurse-submodules', '--quiet', '--', fetchUrl(repo, target), ref], {
          ...base,
          ...this.transportOptions(target),
        });
      } catch (error) {
        if (!(error instanceof GitCommandError) || error.failure !== 'failed') throw toReadError(error);
        const notFound = /couldn't find remote ref|does not appear to be a git repository|not found|does not exist|no such/i.test(error.reason);
        throw new ReadError('read', `Cannot fetch ${JSON.stringify(ref)} from ${repo}: ${error.reason}`, { notFound });
      }
      const fetched = (await this.git(['rev-parse', '--verify', '--quiet', 'FETCH_HEAD^{commit}'], base)).toString('utf8').trim();
      if (recentFetches.size > 1000) recentFetches.clear();
      recentFetches.set(`${dir}\n${ref}`, { commit: fetched, at: Date.now() });
      return fetched;
    });
    let listing: Promise<string[]> | undefined;
    return {
      repo,
      ref,
      commit,
      list: () =>
        (listing ??= this.git(['ls-tree', '-r', '-z', commit], { ...base, maxBytes: 256 * 1024 * 1024 }).then((out) => {
          // "<mode> <type> <object>\t<path>": regular and executable files only, so symlinks
          // (which could point anywhere) and submodules are never offered to callers, and no
          // path inside a `.git` folder (git metadata must never be copied anywhere).
          const files: string[] = [];
          for (const entry of out.toString('utf8').split('\0')) {
            const m = /^(?:100644|100755) blob [0-9a-f]+\t(.+)$/s.exec(entry);
            if (m && !isGitMetadataPath(m[1]!)) files.push(m[1]!);
          }
          return files;
        })),
      read: async (filePath) => {
        try {
          return await this.git(['cat-file', 'blob', `${commit}:${filePath}`], { ...base, maxBytes: this.options.maxBytes });
        } catch (error) {
          if (error instanceof ReadError) throw error;
          throw new ReadError('read', `File not found: ${filePath} in ${repo} at ${ref} (${commit.slice(0, 12)})`, { notFound: true });
        }
      },
    };
  }

  /** Transport settings for the fetch: only the checked transport, pinned to the checked addresses. */
  private transportOptions(target: CheckedOutboundTarget): RunGitOptions {
    const config: Record<string, string | string[]> = {};
    if (!this.options.allowPrivateNetworks) config['http.followRedirects'] = 'false';
    const pinned = target.addresses.length > 0 && !net.isIP(target.host.replace(/%.*$/, ''));
    switch (target.transport) {
      case 'file':
        return { allowFileProtocol: true, config };
      case 'http':
      case 'https':
        // curl connects to the addresses the guard checked, not to a second DNS answer.
        if (pinned) {
          const list = target.addresses.map((a) => (net.isIPv6(a) ? `[${a}]` : a)).join(',');
          config['http.curloptResolve'] = `${target.host}:${target.port ?? target.defaultPort}:${list}`;
        }
        return { config };
      case 'ssh': {
        const ssh = process.env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes';
        return { allowSsh: true, sshCommand: pinned ? `${ssh} -o HostName=${target.addresses[0]}` : ssh, config };
      }
      default:
        return { config };
    }
  }

  /** The shared outbound guard; file:// and local paths must also be under the file roots. */
  private async checkRepository(repo: string): Promise<CheckedOutboundTarget> {
    const target = await assertOutboundAllowed(repo, {
      allowPrivateNetworks: this.options.allowPrivateNetworks,
      allowFile: true,
      ...(this.options.allowedHosts ? { allowedHosts: this.options.allowedHosts } : {}),
      ...(this.options.privateNetworksKey ? { privateNetworksKey: this.options.privateNetworksKey } : {}),
    });
    if (target.transport === 'file') await this.options.files.checkedRealPath(target.filePath!);
    return target;
  }

  private async git(args: string[], options: RunGitOptions): Promise<Buffer> {
    try {
      return (await runGitBuffer(args, { maxBytes: 16 * 1024 * 1024, ...options })).stdout;
    } catch (error) {
      throw toReadError(error, options.maxBytes);
    }
  }
}

/** A git:// URL pointing at the checked address (the git protocol has no other way to pin it). */
function fetchUrl(repo: string, target: CheckedOutboundTarget): string {
  if (target.transport !== 'git' || target.addresses.length === 0 || net.isIP(target.host)) return repo;
  const address = target.addresses[0]!;
  const host = net.isIPv6(address) ? `[${address}]` : address;
  return repo.replace(/^git:\/\/[^/]*/i, `git://${host}${target.port ? `:${target.port}` : ''}`);
}

function toReadError(error: unknown, maxBytes = 16 * 1024 * 1024): Error {
  if (error instanceof ReadError) return error;
  if (!(error instanceof GitCommandError)) return error as Error;
  switch (error.failure) {
    case 'too-large':
      return tooLarge(`git ${error.command} output`, maxBytes);
    case 'cancelled':
      return new ReadError('read', 'Reading from git was cancelled');
    case 'timeout':
    case 'not-installed':
      return new ReadError('read', error.message);
    default:
      return error;
  }
}
