import { promises as fs } from 'node:fs';
import path from 'node:path';
import { FileReader, GitReader, isGitMetadataPath, ReadError, UrlReader } from '@atrium/source-readers';

/** Where a template was read from, from its `backstage.io/managed-by-location` annotation. */
export type TemplateBase = { type: 'file'; path: string } | { type: 'url'; url: string } | { type: 'git'; repo: string; ref: string; path: string };

/** The key refusals of private destinations name. */
const PRIVATE_NETWORKS_KEY = 'scaffolder.readers.allowPrivateNetworks';

export interface SourceFile {
  /** Relative to the fetched folder, `/`-separated. */
  path: string;
  content: Buffer;
  executable: boolean;
}

export interface SourceReaderSettings {
  /** Extra roots file sources may be read from, besides the template's own folder. */
  fileRoots: string[];
  maxBytes: number;
  maxFiles: number;
  allowPrivateNetworks: boolean;
  timeoutMs: number;
  gitCacheDir: string;
}

export const defaultSourceSettings = (gitCacheDir: string): SourceReaderSettings => ({
  fileRoots: [],
  maxBytes: 10 * 1024 * 1024,
  maxFiles: 5000,
  allowPrivateNetworks: false,
  timeoutMs: 60_000,
  gitCacheDir,
});

/** Parses a Backstage location ref (`file:/x/template.yaml`, `url:https://…`, `git:<repo>#<ref>:<path>`). */
export function parseTemplateBase(locationRef: string | undefined): TemplateBase | undefined {
  if (!locationRef) return undefined;
  const colon = locationRef.indexOf(':');
  const type = locationRef.slice(0, colon);
  const target = locationRef.slice(colon + 1);
  if (type === 'file') return { type: 'file', path: target };
  if (type === 'url') return { type: 'url', url: target };
  if (type === 'git') {
    const hash = target.lastIndexOf('#');
    const rest = target.slice(hash + 1);
    const c = rest.indexOf(':');
    return { type: 'git', repo: target.slice(0, hash), ref: c === -1 ? rest : rest.slice(0, c), path: c === -1 ? 'catalog-info.yaml' : rest.slice(c + 1) };
  }
  return undefined;
}

/**
 * Reads the files a step names (`url: ./skeleton`) relative to the template's location, with
 * the hardened readers from @atrium/source-readers: file sources stay under the template's
 * folder (or configured roots) even through symlinks, URLs refuse private networks, and
 * everything is size-capped.
 */
export class TemplateSources {
  private readonly files: FileReader;

  constructor(
    private readonly base: TemplateBase | undefined,
    private readonly settings: SourceReaderSettings,
    private readonly signal?: AbortSignal,
  ) {
    const roots = [...settings.fileRoots];
    if (base?.type === 'file') roots.push(path.dirname(base.path));
    this.files = new FileReader(roots, settings.maxBytes);
  }

  /** All files under a folder (`fetch:plain`, `fetch:template`). */
  async readDirectory(url: string): Promise<SourceFile[]> {
    const where = this.resolve(url);
    if (where.type === 'file') {
      const dir = where.path;
      const stat = await fs.stat(await this.files.checkedRealPath(dir)).catch((e: unknown) => {
        throw e instanceof ReadError ? e : new ReadError('read', `Cannot read ${dir}`);
      });
      if (!stat.isDirectory()) throw new ReadError('read', `${url} is not a folder`);
      // Symlinks are listed but read through FileReader, which refuses those leaving the roots.
      const entries = await walk(dir, this.settings.maxFiles + 1);
      if (entries.length > this.settings.maxFiles) throw new ReadError('read', `${url} has more than ${this.settings.maxFiles} files`);
      const out: SourceFile[] = [];
      for (const name of entries.sort()) {
        const abs = path.join(dir, name);
        const link = await fs.lstat(abs);
        if (link.isDirectory()) continue;
        // A symlink is read through FileReader too, which refuses one that resolves outside the roots.
        const content = await this.files.read(abs);
        const st = await fs.stat(abs);
        out.push({ path: name.split(path.sep).join('/'), content, executable: (st.mode & 0o111) !== 0 });
      }
      return out;
    }
    if (where.type === 'git') {
      const tree = await this.git().open(where.repo, where.ref);
      const prefix = where.path ? `${where.path}/` : '';
      // Git metadata is never part of a skeleton: a .git entry would configure the git that publishes it.
      const names = (await tree.list()).filter((p) => p.startsWith(prefix) && !isGitMetadataPath(p));
      if (names.length > this.settings.maxFiles) throw new ReadError('read', `${url} has more than ${this.settings.maxFiles} files`);
      const out: SourceFile[] = [];
      for (const name of names) out.push({ path: name.slice(prefix.length), content: await tree.read(name), executable: false });
      return out;
    }
    throw new ReadError(
      'read',
      `Cannot fetch the folder ${where.url}: folders can be fetched from file and git locations only (register the template from git, or use fetch:plain:file for a single URL)`,
    );
  }

  /** One file (`fetch:plain:file`, `fetch:template:file`). */
  async readFile(url: string): Promise<Buffer> {
    const where = this.resolve(url);
    if (where.type === 'file') return this.files.read(where.path);
    if (where.type === 'git') return (await this.git().open(where.repo, where.ref)).read(where.path);
    const reader = new UrlReader({
      allowPrivateNetworks: this.settings.allowPrivateNetworks,
      privateNetworksKey: PRIVATE_NETWORKS_KEY,
      timeoutMs: this.settings.timeoutMs,
      maxBytes: this.settings.maxBytes,
      ...(this.signal ? { signal: this.signal } : {}),
    });
    return (await reader.read(where.url)).content;
  }

  private resolve(url: string): TemplateBase {
    if (typeof url !== 'string' || url === '') throw new ReadError('read', 'No url given');
    if (/^https?:\/\//i.test(url)) return treeUrlToGit(url) ?? { type: 'url', url };
    if (url.startsWith('file:') || path.isAbsolute(url)) {
      // Absolute paths are allowed only under the roots; FileReader enforces that.
      return { type: 'file', path: url.startsWith('file:') ? url.replace(/^file:(\/\/)?/, '') : url };
    }
    const base = this.base;
    if (!base) throw new ReadError('read', `Cannot resolve the relative url ${JSON.stringify(url)}: the template has no known location`);
    if (base.type === 'file') return { type: 'file', path: path.resolve(path.dirname(base.path), url) };
    if (base.type === 'url') return { type: 'url', url: new URL(url, base.url).toString() };
    const joined = path.posix.normalize(path.posix.join(path.posix.dirname(base.path), url));
    if (joined === '..' || joined.startsWith('../') || joined.startsWith('/')) {
      throw new ReadError('security', `The url ${JSON.stringify(url)} points outside the template's repository`);
    }
    return { type: 'git', repo: base.repo, ref: base.ref, path: joined === '.' ? '' : joined.replace(/\/$/, '') };
  }

  private gitReader: GitReader | undefined;
  private git(): GitReader {
    this.gitReader ??= new GitReader({
      cacheDir: this.settings.gitCacheDir,
      timeoutMs: this.settings.timeoutMs,
      maxBytes: this.settings.maxBytes,
      allowPrivateNetworks: this.settings.allowPrivateNetworks,
      privateNetworksKey: PRIVATE_NETWORKS_KEY,
      files: this.files,
      ...(this.signal ? { signal: this.signal } : {}),
    });
    return this.gitReader;
  }
}

/**
 * Relative paths of every file and symlink under a folder (symlinks are listed, not followed),
 * leaving out git metadata (`.git` at any depth, however spelled): a skeleton's `.git` folder
 * would configure the git that publishes it (filters, fsmonitor, hooks, include.path).
 */
async function walk(root: string, limit: number): Promise<string[]> {
  const out: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      if (out.length >= limit) return;
      if (isGitMetadataPath(entry.name)) continue;
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) await visit(abs);
      else out.push(path.relative(root, abs));
    }
  };
  await visit(root);
  return out;
}

/**
 * GitHub and GitLab folder URLs (`https://github.com/o/r/tree/<ref>/<path>`,
 * `https://gitlab.com/g/p/-/tree/<ref>/<path>`) as git sources, so templates that fetch a
 * remote skeleton folder work without a SaaS integration.
 */
export function treeUrlToGit(url: string): TemplateBase | undefined {
  const gh = /^(https:\/\/github\.com\/[^/]+\/[^/]+?)(?:\.git)?\/(?:tree|blob)\/([^/]+)\/?(.*)$/.exec(url);
  const gl = /^(https:\/\/[^/]*gitlab[^/]*\/.+?)\/-\/(?:tree|blob)\/([^/]+)\/?(.*)$/.exec(url);
  const m = gh ?? gl;
  if (!m) return undefined;
  return { type: 'git', repo: `${m[1]}.git`, ref: m[2]!, path: m[3]!.replace(/\/$/, '') };
}
