import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import dns from 'node:dns/promises';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DocsSourceError, normalizeTreePath, type DocsTree } from './DocsSource.js';
import { formatBytes, isInside } from './localTree.js';

export interface GitTreeOptions {
  cacheDir: string;
  timeoutMs: number;
  maxFileBytes: number;
  maxFiles: number;
  allowPrivateNetworks: boolean;
  /** file:// repositories must live under one of these directories. */
  fileRoots: string[];
  signal?: AbortSignal;
}

export interface GitSource {
  repo: string;
  /** Branch, tag, commit or `HEAD`. */
  ref: string;
  /** Docs root inside the repository, `/`-separated, `''` for the repository root. */
  path: string;
}

// Branch, tag or commit: git's ref-name rules, narrowed to a safe character set.
const REF_PATTERN = /^[A-Za-z0-9._/-]+$/;
export function isValidGitRef(ref: string): boolean {
  return (
    REF_PATTERN.test(ref) &&
    !ref.startsWith('-') &&
    !ref.startsWith('/') &&
    !ref.endsWith('/') &&
    !ref.endsWith('.') &&
    !ref.endsWith('.lock') &&
    !ref.includes('..') &&
    !ref.includes('//')
  );
}

// Fetches into one cache directory run one at a time (FETCH_HEAD and shallow files are shared).
const cacheLocks = new Map<string, Promise<unknown>>();
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
 * A docs tree in a git repository, read with the git CLI: a shallow fetch of the ref into a bare
 * repository cached per URL, then `ls-tree` and `cat-file` on the fetched commit. User input
 * never reaches git as an option: the URL follows `--`, refs are validated, and paths are
 * always prefixed with the commit hash.
 */
export class GitDocsTree implements DocsTree {
  private listing: Promise<string[]> | undefined;

  private constructor(
    private readonly source: GitSource,
    readonly revision: string,
    private readonly gitDir: string,
    private readonly options: GitTreeOptions,
  ) {}

  static async open(source: GitSource, options: GitTreeOptions): Promise<GitDocsTree> {
    await checkRepository(source.repo, options);
    if (!isValidGitRef(source.ref)) {
      throw new DocsSourceError('security', `Git ref ${JSON.stringify(source.ref)} is not a valid branch, tag or commit name`);
    }
    const root = normalizeTreePath(source.path);
    const dir = path.join(options.cacheDir, `${createHash('sha256').update(source.repo).digest('hex').slice(0, 24)}.git`);
    const git = (args: string[], maxBytes?: number) => runGit(args, options, maxBytes);
    const commit = await withLock(dir, async () => {
      await fs.mkdir(options.cacheDir, { recursive: true });
      try {
        await fs.access(path.join(dir, 'HEAD'));
      } catch {
        await git(['init', '--bare', '--quiet', dir]);
      }
      try {
        await git(['-C', dir, ...fetchConfig(options), 'fetch', '--depth=1', '--no-tags', '--quiet', '--', source.repo, source.ref]);
      } catch (error) {
        const reason = (error as Error).message;
        const notFound = /couldn't find remote ref|does not appear to be a git repository|not found|does not exist|no such/i.test(reason);
        throw new DocsSourceError(notFound ? 'not-found' : 'read', `Cannot fetch ${JSON.stringify(source.ref)} from ${source.repo}: ${reason}`);
      }
      return (await git(['-C', dir, 'rev-parse', '--verify', '--quiet', 'FETCH_HEAD^{commit}'])).toString('utf8').trim();
    });
    const tree = new GitDocsTree({ ...source, path: root }, commit, dir, options);
    if (root) {
      const type = await git(['-C', dir, 'cat-file', '-t', `${commit}:${root}`]).then(
        (b) => b.toString('utf8').trim(),
        () => '',
      );
      if (type !== 'tree') throw new DocsSourceError('not-found', `Folder ${root} does not exist in ${source.repo} at ${source.ref}`);
    }
    return tree;
  }

  describe(): string {
    return `${this.source.repo}#${this.source.ref}${this.source.path ? `:${this.source.path}` : ''} (${this.revision.slice(0, 12)})`;
  }

  list(under = ''): Promise<string[]> {
    void under; // one ls-tree lists everything below the root; cheap enough to do once
    return (this.listing ??= this.git(['ls-tree', '-r', '-z', this.treeish('')], 256 * 1024 * 1024).then((out) => {
      const files: string[] = [];
      for (const line of out.toString('utf8').split('\0')) {
        // "<mode> <type> <object>\t<path>": plain and executable blobs only (no symlinks, no submodules).
        const m = /^(100644|100755) blob [0-9a-f]+\t(.+)$/s.exec(line);
        if (m) files.push(m[2]!);
      }
      if (files.length > this.options.maxFiles) {
        throw new DocsSourceError('too-large', `Docs source ${this.describe()} has more than ${this.options.maxFiles} files`);
      }
      return files.sort();
    }));
  }

  async read(p: string): Promise<Buffer> {
    const rel = normalizeTreePath(p);
    try {
      return await this.git(['cat-file', 'blob', this.treeish(rel)], this.options.maxFileBytes);
    } catch (error) {
      if (error instanceof DocsSourceError) throw error;
      throw new DocsSourceError('not-found', `File not found: ${rel}`);
    }
  }

  editUrl(p: string): string | undefined {
    return gitEditUrl(this.source.repo, this.source.ref, [this.source.path, p].filter(Boolean).join('/'));
  }

  private treeish(rel: string): string {
    const full = [this.source.path, rel].filter(Boolean).join('/');
    return full ? `${this.revision}:${full}` : `${this.revision}^{tree}`;
  }

  private git(args: string[], maxBytes?: number): Promise<Buffer> {
    return runGit(['-C', this.gitDir, ...args], this.options, maxBytes);
  }
}

/** "Edit" link for GitHub and GitLab repositories; undefined for other hosts. */
export function gitEditUrl(repo: string, ref: string, filePath: string): string | undefined {
  let url: URL;
  try {
    url = new URL(repo);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const base = `${url.origin}${url.pathname.replace(/\.git$/, '').replace(/\/+$/, '')}`;
  const branch = ref === 'HEAD' ? 'HEAD' : ref;
  const file = filePath.split('/').map(encodeURIComponent).join('/');
  if (url.hostname === 'github.com' || url.hostname.startsWith('github.')) return `${base}/edit/${branch}/${file}`;
  if (url.hostname === 'gitlab.com' || url.hostname.startsWith('gitlab.')) return `${base}/-/edit/${branch}/${file}`;
  return undefined;
}

function fetchConfig(options: GitTreeOptions): string[] {
  const config = ['protocol.ext.allow=never', 'protocol.fd.allow=never', 'gc.auto=0'];
  if (!options.allowPrivateNetworks) config.push('http.followRedirects=false');
  return config.flatMap((c) => ['-c', c]);
}

/** Only well-known transports; file:// under the allowed roots; network hosts not private. */
async function checkRepository(repo: string, options: GitTreeOptions): Promise<void> {
  if (repo.startsWith('-') || /[\0\n\r]/.test(repo)) {
    throw new DocsSourceError('security', `Git repository ${JSON.stringify(repo)} is not a valid repository URL`);
  }
  if (/^[\w.-]+@[\w.-]+:(?!\/\/)/.test(repo)) return; // scp-like ssh: no DNS check possible before ssh resolves it
  let url: URL;
  try {
    url = new URL(repo);
  } catch {
    throw new DocsSourceError('unsupported', `Git repository ${JSON.stringify(repo)} must be a URL (https://, ssh://, git://, file://) or user@host:path`);
  }
  switch (url.protocol) {
    case 'file:': {
      let real: string;
      try {
        real = await fs.realpath(fileURLToPath(url));
      } catch {
        throw new DocsSourceError('not-found', `Git repository ${repo} does not exist`);
      }
      if (!options.fileRoots.some((root) => isInside(root, real))) {
        throw new DocsSourceError('security', `Git repository ${repo} is outside the allowed roots (techdocs.allowedRoots)`);
      }
      return;
    }
    case 'http:':
    case 'https:':
    case 'git:':
    case 'ssh:': {
      if (options.allowPrivateNetworks) return;
      const host = url.hostname.replace(/^\[|\]$/g, '');
      const addresses = net.isIP(host)
        ? [host]
        : await dns.lookup(host, { all: true }).then(
            (list) => list.map((a) => a.address),
            () => {
              throw new DocsSourceError('not-found', `Cannot resolve host ${host} of git repository ${repo}`);
            },
          );
      const bad = addresses.find(isPrivateAddress);
      if (bad) {
        throw new DocsSourceError('security', `Refusing to fetch ${repo}: ${host} resolves to ${bad}, a private address (set techdocs.git.allowPrivateNetworks to allow it)`);
      }
      return;
    }
    default:
      throw new DocsSourceError('unsupported', `Git repository ${JSON.stringify(repo)} uses an unsupported transport ${url.protocol}`);
  }
}

export function isPrivateAddress(address: string): boolean {
  if (net.isIPv4(address)) {
    const [a, b] = address.split('.').map(Number) as [number, number];
    return a === 10 || a === 127 || a === 0 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  }
  const v6 = address.toLowerCase();
  if (v6.startsWith('::ffff:')) return isPrivateAddress(v6.slice(7));
  return v6 === '::1' || v6 === '::' || v6.startsWith('fc') || v6.startsWith('fd') || v6.startsWith('fe80');
}

function runGit(args: string[], options: GitTreeOptions, maxBytes = 16 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      env: {
        ...process.env,
        GIT_TERMINAL_PROMPT: '0',
        GIT_ASKPASS: '',
        SSH_ASKPASS: '',
        GIT_SSH_COMMAND: process.env['GIT_SSH_COMMAND'] ?? 'ssh -o BatchMode=yes',
        GIT_CONFIG_NOSYSTEM: '1',
        LC_ALL: 'C',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs,
      killSignal: 'SIGKILL',
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const out: Buffer[] = [];
    let size = 0;
    let err = '';
    let overflow = false;
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        overflow = true;
        child.kill('SIGKILL');
        return;
      }
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (err.length < 4000) err += chunk.toString('utf8');
    });
    child.on('error', (e) => reject(new DocsSourceError('read', `git failed to run: ${e.message}`)));
    child.on('close', (code, signal) => {
      if (overflow) reject(new DocsSourceError('too-large', `Output of git ${args.find((a) => !a.startsWith('-')) ?? ''} is over the ${formatBytes(maxBytes)} limit`));
      else if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(signal ? `git was stopped (${signal}); timeout ${options.timeoutMs} ms` : err.trim() || `git exited with code ${code}`));
    });
  });
}
