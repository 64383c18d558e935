import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import dns from 'node:dns/promises';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ReadError } from './ReadError.js';
import { isValidGitRef } from './paths.js';
import type { FileReader } from './fileReader.js';
import { tooLarge } from './fileReader.js';
import { isHostAllowed, isPrivateAddress } from './netGuard.js';

export interface GitReaderOptions {
  cacheDir: string;
  timeoutMs: number;
  maxBytes: number;
  allowPrivateNetworks: boolean;
  /** Hosts git may fetch from over the network; undefined allows all. */
  allowedHosts?: readonly string[];
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

// Fetches into one cache directory run one at a time (FETCH_HEAD and shallow files are shared).
const cacheLocks = new Map<string, Promise<unknown>>();
// Commit each ref resolved to at its last fetch, per cache directory, for fetchTtlMs.
const recentFetches = new Map<string, { commit: string; at: number }>();

async function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = cacheLocks.get(key) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(fn);
  const tail = run.catch(() => undefined);
  cacheLocks.set(key, tail);
  try {
    return await run;
  } finally {
    if (cacheLocks.get(key) === tail) cacheLocks.delete(key);
  }
}

/**
 * Reads descriptor files from git repositories with the git CLI: a shallow fetch of the ref
 * into a bare repository cached per repository URL, then `ls-tree` and `cat-file` on the
 * fetched commit. User input never reaches git as an option: repository URLs follow `--`,
 * refs are validated, paths are prefixed with the commit hash.
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
    await this.checkRepository(repo);
    if (!isValidGitRef(ref)) throw new ReadError('security', `Git ref ${JSON.stringify(ref)} is not a valid branch, tag or commit name`);
    const dir = path.join(this.options.cacheDir, `${createHash('sha256').update(repo).digest('hex').slice(0, 24)}.git`);
    const commit = await withLock(dir, async () => {
      await fs.mkdir(this.options.cacheDir, { recursive: true });
      try {
        await fs.access(path.join(dir, 'HEAD'));
      } catch {
        await this.git(['init', '--bare', '--quiet', dir]);
      }
      if (/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(ref)) {
        const known = await this.git(['-C', dir, 'cat-file', '-e', `${ref}^{commit}`]).then(() => true, () => false);
        if (known) return ref;
      }
      const recent = recentFetches.get(`${dir}\n${ref}`);
      if (recent && Date.now() - recent.at < (this.options.fetchTtlMs ?? 0)) return recent.commit;
      try {
        await this.git(['-C', dir, ...this.fetchConfig(), 'fetch', '--depth=1', '--no-tags', '--quiet', '--', repo, ref]);
      } catch (error) {
        const reason = (error as Error).message;
        const notFound = /couldn't find remote ref|does not appear to be a git repository|not found|does not exist|no such/i.test(reason);
        throw new ReadError('read', `Cannot fetch ${JSON.stringify(ref)} from ${repo}: ${reason}`, { notFound });
      }
      const fetched = (await this.git(['-C', dir, 'rev-parse', '--verify', '--quiet', 'FETCH_HEAD^{commit}'])).toString('utf8').trim();
      if (recentFetches.size > 1000) recentFetches.clear();
      recentFetches.set(`${dir}\n${ref}`, { commit: fetched, at: Date.now() });
      return fetched;
    });
    const run = (args: string[], maxBytes?: number) => this.git(['-C', dir, ...args], maxBytes);
    let listing: Promise<string[]> | undefined;
    return {
      repo,
      ref,
      commit,
      list: () =>
        (listing ??= run(['ls-tree', '-r', '-z', commit], 256 * 1024 * 1024).then((out) => {
          // "<mode> <type> <object>\t<path>": regular and executable files only, so symlinks
          // (which could point anywhere) and submodules are never offered to callers.
          const files: string[] = [];
          for (const entry of out.toString('utf8').split('\0')) {
            const m = /^(?:100644|100755) blob [0-9a-f]+\t(.+)$/s.exec(entry);
            if (m) files.push(m[1]!);
          }
          return files;
        })),
      read: async (filePath) => {
        try {
          return await run(['cat-file', 'blob', `${commit}:${filePath}`], this.options.maxBytes);
        } catch (error) {
          if (error instanceof ReadError) throw error;
          throw new ReadError('read', `File not found: ${filePath} in ${repo} at ${ref} (${commit.slice(0, 12)})`, { notFound: true });
        }
      },
    };
  }

  private fetchConfig(): string[] {
    const config = ['protocol.ext.allow=never', 'protocol.fd.allow=never', 'gc.auto=0'];
    if (!this.options.allowPrivateNetworks) config.push('http.followRedirects=false');
    return config.flatMap((c) => ['-c', c]);
  }

  /** Only well-known transports; file:// under the file roots; http(s) hosts not private. */
  private async checkRepository(repo: string): Promise<void> {
    if (repo.startsWith('-') || /[\0\n\r]/.test(repo)) {
      throw new ReadError('security', `Git repository ${JSON.stringify(repo)} is not a valid repository URL`);
    }
    const scpLike = /^[\w.-]+@([\w.-]+):(?!\/\/)/.exec(repo);
    if (scpLike) {
      if (!isHostAllowed(scpLike[1]!, this.options.allowedHosts)) throw hostRefused(repo, scpLike[1]!);
      return;
    }
    let url: URL;
    try {
      url = new URL(repo);
    } catch {
      throw new ReadError('read', `Git repository ${JSON.stringify(repo)} must be a URL (https://, ssh://, git://, file://) or user@host:path`);
    }
    switch (url.protocol) {
      case 'file:': {
        await this.options.files.checkedRealPath(fileURLToPath(url));
        return;
      }
      case 'http:':
      case 'https:':
      case 'git:':
      case 'ssh:': {
        const host = url.hostname.replace(/^\[|\]$/g, '');
        if (!isHostAllowed(host, this.options.allowedHosts)) throw hostRefused(repo, host);
        if (this.options.allowPrivateNetworks) return;
        const addresses = net.isIP(host)
          ? [host]
          : await dns.lookup(host, { all: true }).then(
              (list) => list.map((a) => a.address),
              () => {
                throw new ReadError('read', `Cannot resolve host ${host} of git repository ${repo}`, { notFound: true });
              },
            );
        const bad = addresses.find(isPrivateAddress);
        if (bad) {
          throw new ReadError('security', `Refusing to fetch ${repo}: ${host} resolves to ${bad}, a loopback, private or link-local address (set allowPrivateNetworks to allow it)`);
        }
        return;
      }
      default:
        throw new ReadError('security', `Git repository ${JSON.stringify(repo)} uses an unsupported transport ${url.protocol}`);
    }
  }

  private git(args: string[], maxBytes = 16 * 1024 * 1024): Promise<Buffer> {
    const { timeoutMs, signal } = this.options;
    return new Promise((resolve, reject) => {
      const child = spawn('git', args, {
        env: {
          ...process.env,
          GIT_TERMINAL_PROMPT: '0',
          GIT_ASKPASS: '',
          SSH_ASKPASS: '',
          GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes',
          LC_ALL: 'C',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        signal,
      });
      const out: Buffer[] = [];
      let outSize = 0;
      let err = '';
      let overflow = false;
      child.stdout.on('data', (chunk: Buffer) => {
        outSize += chunk.length;
        if (outSize > maxBytes) {
          overflow = true;
          child.kill('SIGKILL');
          return;
        }
        out.push(chunk);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        if (err.length < 8192) err += chunk.toString('utf8');
      });
      child.on('error', (error) => {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') reject(new ReadError('read', 'The git command is not installed'));
        else if (error.name === 'AbortError') reject(new ReadError('read', 'Reading from git was cancelled'));
        else reject(error);
      });
      child.on('close', (code, sig) => {
        if (overflow) return reject(tooLarge(`git ${args.at(-1) ?? ''}`, maxBytes));
        if (code === 0) return resolve(Buffer.concat(out, outSize));
        if (sig === 'SIGKILL' || sig === 'SIGTERM') return reject(new ReadError('read', `git timed out after ${timeoutMs} ms`));
        const lines = err.trim().split('\n').map((l) => l.replace(/^(fatal|error): /, '').trim()).filter(Boolean);
        reject(new Error(lines.at(-1) ?? `git exited with code ${code}`));
      });
    });
  }
}

function hostRefused(repo: string, host: string): ReadError {
  return new ReadError('security', `Refusing to fetch ${repo}: host ${host} is not in the allowed URL hosts`);
}
