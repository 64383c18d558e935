import { promises as fs } from 'node:fs';
import path from 'node:path';
import { confinePath, isPathInside, ReadError } from '@atrium/source-readers';
import { DocsSourceError, normalizeTreePath, type DocsTree } from './DocsSource.js';

export interface LocalTreeOptions {
  /** Largest file read() returns. */
  maxFileBytes: number;
  /** Most files list() walks before giving up. */
  maxFiles: number;
}

// Folders never part of a docs site; dot-folders are skipped too (mkdocs excludes them).
const SKIPPED_DIRS = new Set(['node_modules', '__pycache__']);

/** True when `child` is `parent` or inside it: the shared lexical check, applied here to real paths. */
export const isInside = isPathInside;

/**
 * A docs tree on the local filesystem. Every path is confined to the root's real path:
 * symlinks whose target leaves the root and `..` segments are refused.
 */
export class LocalDocsTree implements DocsTree {
  private constructor(
    private readonly root: string,
    private readonly options: LocalTreeOptions,
  ) {}

  /** Opens `dir`; fails with `not-found` when it does not exist or is not a directory. */
  static async open(dir: string, options: LocalTreeOptions): Promise<LocalDocsTree> {
    let real: string;
    try {
      real = await fs.realpath(dir);
    } catch {
      throw new DocsSourceError('not-found', `Docs folder ${dir} does not exist`);
    }
    const stat = await fs.stat(real);
    if (!stat.isDirectory()) throw new DocsSourceError('not-found', `Docs folder ${dir} is not a directory`);
    return new LocalDocsTree(real, options);
  }

  describe(): string {
    return this.root;
  }

  async list(under = ''): Promise<string[]> {
    const start = normalizeTreePath(under);
    const out: string[] = [];
    const walk = async (rel: string): Promise<void> => {
      let entries;
      try {
        entries = await fs.readdir(path.join(this.root, rel), { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        if (entry.name.startsWith('.')) continue;
        const childRel = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          if (SKIPPED_DIRS.has(entry.name)) continue;
          await walk(childRel);
        } else if (entry.isFile()) {
          out.push(childRel);
        } else if (entry.isSymbolicLink()) {
          // Linked files count only when they resolve inside the root; linked folders are not followed.
          const target = await fs.realpath(path.join(this.root, childRel)).catch(() => undefined);
          if (target && isInside(this.root, target) && (await fs.stat(target)).isFile()) out.push(childRel);
        }
        if (out.length > this.options.maxFiles) {
          throw new DocsSourceError('too-large', `Docs source ${this.root} has more than ${this.options.maxFiles} files`);
        }
      }
    };
    await walk(start);
    return out.sort();
  }

  async read(p: string): Promise<Buffer> {
    const rel = normalizeTreePath(p);
    let real: string;
    try {
      real = await confinePath(this.root, rel);
    } catch (error) {
      if (error instanceof ReadError && error.notFound) throw new DocsSourceError('not-found', `File not found: ${rel}`);
      if (error instanceof ReadError && error.kind === 'security') throw new DocsSourceError('security', `File ${rel} resolves outside the docs source`);
      throw new DocsSourceError('read', `Cannot read ${rel}: ${(error as Error).message}`);
    }
    const stat = await fs.stat(real);
    if (!stat.isFile()) throw new DocsSourceError('not-found', `Not a file: ${rel}`);
    if (stat.size > this.options.maxFileBytes) {
      throw new DocsSourceError('too-large', `File ${rel} is ${formatBytes(stat.size)}, over the ${formatBytes(this.options.maxFileBytes)} limit`);
    }
    return fs.readFile(real);
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
