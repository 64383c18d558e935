import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ReadError } from './ReadError.js';

/**
 * Lexical containment: whether `child` is `root` or below it. Both are resolved first; no
 * filesystem access, so symlinks are NOT followed — use {@link confinePath} for paths that exist.
 */
export function isPathInside(root: string, child: string): boolean {
  const rel = path.relative(path.resolve(root), path.resolve(child));
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** @deprecated Same as {@link isPathInside}; kept for existing callers. */
export const isWithin = isPathInside;

/**
 * The real path of `target`, refused unless it lies inside one of `roots` both as written and after
 * following symlinks (a link pointing out of every root is refused). A relative `target` is taken
 * relative to the first root. Throws a ReadError: `security` when outside, `read` with `notFound`
 * when the path does not exist.
 */
export async function confinePath(roots: string | readonly string[], target: string): Promise<string> {
  const list = (typeof roots === 'string' ? [roots] : [...roots]).map((r) => path.resolve(r));
  if (target.includes('\0')) throw new ReadError('security', `Path ${JSON.stringify(target)} contains a NUL character`);
  if (list.length === 0) throw new ReadError('security', `Refusing ${target}: no roots are allowed`);
  const abs = path.resolve(list[0]!, target);
  if (!list.some((root) => isPathInside(root, abs))) {
    throw new ReadError('security', `Refusing ${abs}: it is outside the allowed roots (${list.join(', ')})`);
  }
  let real: string;
  try {
    real = await fs.realpath(abs);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ReadError('read', `Not found: ${abs}`, { notFound: true });
    throw new ReadError('read', `Cannot read ${abs}: ${(error as Error).message}`);
  }
  const realRoots = await Promise.all(list.map((r) => fs.realpath(r).catch(() => r)));
  if (!realRoots.some((root) => isPathInside(root, real))) {
    throw new ReadError('security', `Refusing ${abs}: it resolves through a symlink to ${real}, outside the allowed roots`);
  }
  return real;
}

/** The folder part of a path or glob before its first wildcard segment (`/a/b/*.yaml` → `/a/b`). */
export function globBase(target: string): string {
  const parts = target.split(path.sep);
  const firstGlob = parts.findIndex((p) => /[*?[\]{}]/.test(p));
  if (firstGlob === -1) return path.dirname(target);
  return parts.slice(0, firstGlob).join(path.sep) || path.sep;
}
