import { promises as fs } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { glob } from 'tinyglobby';
import { ReadError } from './ReadError.js';
import { isWithin } from './paths.js';

/**
 * Reads local files, but only under the configured roots. Both the path as written
 * (`..` segments) and the path after following symlinks (realpath) must stay inside a root.
 */
export class FileReader {
  private readonly roots: string[];
  private realRoots: Promise<string[]> | undefined;

  constructor(
    roots: readonly string[],
    private readonly maxBytes: number,
  ) {
    this.roots = roots.map((r) => path.resolve(r));
  }

  private async resolvedRoots(): Promise<string[]> {
    this.realRoots ??= Promise.all(this.roots.map((r) => fs.realpath(r).catch(() => r)));
    return this.realRoots;
  }

  private assertLexicallyAllowed(p: string): void {
    if (!this.roots.some((root) => isWithin(root, p))) {
      throw new ReadError('security', `Refusing to read ${p}: it is outside the allowed file roots (${this.rootsText()})`);
    }
  }

  private rootsText(): string {
    return this.roots.length ? this.roots.join(', ') : 'none configured';
  }

  /** The real path of an allowed, existing file; throws a ReadError otherwise. */
  async checkedRealPath(p: string): Promise<string> {
    const abs = path.resolve(p);
    this.assertLexicallyAllowed(abs);
    let real: string;
    try {
      real = await fs.realpath(abs);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') {
        throw new ReadError('read', `File not found: ${abs}`, { notFound: true });
      }
      throw new ReadError('read', `Cannot read ${abs}: ${(error as Error).message}`);
    }
    const roots = await this.resolvedRoots();
    if (!roots.some((root) => isWithin(root, real))) {
      throw new ReadError('security', `Refusing to read ${abs}: it resolves through a symlink to ${real}, outside the allowed file roots`);
    }
    return real;
  }

  /**
   * The files a `file` target names: the path itself, or the sorted matches of a glob.
   * A glob matching nothing yields an empty list; a missing plain path throws notFound.
   */
  async list(target: string): Promise<string[]> {
    const abs = path.resolve(target);
    const scan = picomatch.scan(abs);
    if (!scan.isGlob) {
      await this.checkedRealPath(abs);
      return [abs];
    }
    const base = path.resolve(scan.base || '/');
    this.assertLexicallyAllowed(base);
    if (scan.glob.split('/').includes('..')) {
      throw new ReadError('security', `Refusing glob ${target}: ".." is not allowed in the pattern`);
    }
    let matches: string[];
    try {
      matches = await glob(scan.glob, { cwd: base, absolute: true, onlyFiles: true, followSymbolicLinks: false });
    } catch (error) {
      throw new ReadError('read', `Cannot search ${target}: ${(error as Error).message}`);
    }
    return matches.map((m) => path.resolve(m)).sort();
  }

  /** Reads an allowed file, refusing anything over maxBytes. */
  async read(p: string): Promise<Buffer> {
    const real = await this.checkedRealPath(p);
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(real, 'r');
    } catch (error) {
      throw new ReadError('read', `Cannot read ${p}: ${(error as Error).message}`);
    }
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw new ReadError('read', `${p} is not a regular file`);
      if (stat.size > this.maxBytes) throw tooLarge(p, this.maxBytes);
      const buffer = Buffer.alloc(Math.min(stat.size, this.maxBytes) + 1);
      let length = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length > this.maxBytes) throw tooLarge(p, this.maxBytes);
        if (length === buffer.length) break;
      }
      return buffer.subarray(0, length);
    } finally {
      await handle.close();
    }
  }
}

export function tooLarge(what: string, maxBytes: number): ReadError {
  return new ReadError('read', `${what} is larger than the ${formatBytes(maxBytes)} limit`);
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${+(n / 1024 / 1024).toFixed(1)} MB` : n >= 1024 ? `${+(n / 1024).toFixed(1)} kB` : `${n} bytes`;
}
