import { FileReader, GitReader, ReadError, type GitTree } from '@atrium/source-readers';
import { DocsSourceError, normalizeTreePath, type DocsTree } from './DocsSource.js';

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

/**
 * A docs tree inside a git repository, read through the shared GitReader (the outbound guard,
 * then a shallow fetch with the hardened git runner into a cache, ls-tree/cat-file on the
 * fetched commit; no work tree, no hooks or repository config; user input never reaches git as
 * an option).
 * This class only narrows the repository to the docs root and maps errors to DocsSourceError.
 */
export class GitDocsTree implements DocsTree {
  private constructor(
    private readonly source: GitSource,
    private readonly tree: GitTree,
    private readonly files: string[],
  ) {}

  get revision(): string {
    return this.tree.commit;
  }

  static async open(source: GitSource, options: GitTreeOptions): Promise<GitDocsTree> {
    const reader = new GitReader({
      cacheDir: options.cacheDir,
      timeoutMs: options.timeoutMs,
      maxBytes: options.maxFileBytes,
      allowPrivateNetworks: options.allowPrivateNetworks,
      privateNetworksKey: 'techdocs.git.allowPrivateNetworks',
      files: new FileReader(options.fileRoots, options.maxFileBytes),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const root = normalizeTreePath(source.path);
    const tree = await reader.open(source.repo, source.ref).catch((e: unknown) => {
      throw toDocsSourceError(e);
    });
    const all = await tree.list().catch((e: unknown) => {
      throw toDocsSourceError(e);
    });
    const files = root ? all.filter((f) => f.startsWith(`${root}/`)).map((f) => f.slice(root.length + 1)) : all;
    if (root && files.length === 0) {
      throw new DocsSourceError('not-found', `Folder ${root} does not exist in ${source.repo} at ${source.ref}`);
    }
    if (files.length > options.maxFiles) {
      throw new DocsSourceError('too-large', `Docs source ${source.repo}#${source.ref}:${root} has more than ${options.maxFiles} files`);
    }
    return new GitDocsTree({ ...source, path: root }, tree, files.sort());
  }

  describe(): string {
    return `${this.source.repo}#${this.source.ref}${this.source.path ? `:${this.source.path}` : ''} (${this.revision.slice(0, 12)})`;
  }

  async list(): Promise<string[]> {
    return this.files;
  }

  async read(p: string): Promise<Buffer> {
    const rel = normalizeTreePath(p);
    if (!this.files.includes(rel)) throw new DocsSourceError('not-found', `File not found: ${rel}`);
    try {
      return await this.tree.read([this.source.path, rel].filter(Boolean).join('/'));
    } catch (e) {
      throw toDocsSourceError(e);
    }
  }

  editUrl(p: string): string | undefined {
    return gitEditUrl(this.source.repo, this.source.ref, [this.source.path, p].filter(Boolean).join('/'));
  }
}

function toDocsSourceError(e: unknown): DocsSourceError {
  if (e instanceof DocsSourceError) return e;
  if (e instanceof ReadError) {
    if (e.kind === 'security') return new DocsSourceError('security', e.message);
    if (e.notFound) return new DocsSourceError('not-found', e.message);
    if (/larger than|too large/i.test(e.message)) return new DocsSourceError('too-large', e.message);
    if (/must be a URL|unsupported transport|not supported/i.test(e.message)) return new DocsSourceError('unsupported', e.message);
    return new DocsSourceError('read', e.message);
  }
  return new DocsSourceError('read', e instanceof Error ? e.message : String(e));
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
  const file = filePath.split('/').map(encodeURIComponent).join('/');
  if (url.hostname === 'github.com' || url.hostname.startsWith('github.')) return `${base}/edit/${ref}/${file}`;
  if (url.hostname === 'gitlab.com' || url.hostname.startsWith('gitlab.')) return `${base}/-/edit/${ref}/${file}`;
  return undefined;
}
