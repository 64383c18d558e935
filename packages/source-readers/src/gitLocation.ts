import path from 'node:path';
import { ReadError } from './ReadError.js';
import { isValidGitRef } from './gitRef.js';

/**
 * A git location: a repository, a ref in it and a `/`-separated path inside it.
 *
 * Grammar (the catalog's `git` location target, `git:` refs in annotations without the prefix):
 *
 *     <repository>#<ref>[:<path>]
 *
 * - `<repository>` is everything before the LAST `#` (URLs may contain `#` nowhere else, but a
 *   local path might); it must be non-empty and must not start with `-` (git would read it as an option).
 * - `<ref>` runs to the first `:` after that `#`; it must pass {@link isValidGitRef}
 *   (no leading `-`, no `..`, no control characters, ...). An empty ref is `defaultRef` when given.
 * - `<path>` is the rest; leading `/` are dropped, `.` and `..` segments are resolved and a path
 *   that would leave the repository is refused. Absent, it is `defaultPath`.
 * - Without any `#`, the whole string is the repository when `defaultRef` is given, else an error.
 */
export interface GitLocation {
  repo: string;
  ref: string;
  /** Repository-relative, `/`-separated, never starting with `/`; `''` is the repository root. */
  path: string;
}

export interface ParseGitLocationOptions {
  /** The path when none is written (`<repo>#<ref>`). Default `''` (the repository root). */
  defaultPath?: string;
  /** The ref when none is written (`<repo>` or `<repo>#:<path>`); without it a ref is required. */
  defaultRef?: string;
  /** Refuse a location whose path is the repository root (e.g. the target must name a file). */
  requirePath?: boolean;
}

/** Normalises a repository-relative path; throws a security ReadError when it leaves the repository. */
export function normalizeRepoPath(p: string, what = 'Git path'): string {
  if (p.includes('\0')) throw new ReadError('security', `${what} contains a NUL character`);
  const normalized = path.posix.normalize(p.replace(/^\/+/, ''));
  if (normalized === '..' || normalized.startsWith('../')) {
    throw new ReadError('security', `${what} ${JSON.stringify(p)} points outside the repository`);
  }
  return normalized === '.' ? '' : normalized.replace(/\/+$/, '');
}

/** Parses `<repository>#<ref>[:<path>]` (see {@link GitLocation}); throws a ReadError saying what is wrong. */
export function parseGitLocation(target: string, options: ParseGitLocationOptions = {}): GitLocation {
  const example = 'e.g. https://github.com/acme/svc.git#main:catalog-info.yaml';
  if (typeof target !== 'string' || target.includes('\0')) {
    throw new ReadError('security', `Git location ${JSON.stringify(target)} contains a NUL character`);
  }
  const hash = target.lastIndexOf('#');
  if (hash === 0 || (hash === -1 && options.defaultRef === undefined)) {
    throw new ReadError('read', `Git location ${JSON.stringify(target)} must look like <repository url>#<ref>:<path>, ${example}`);
  }
  const repo = hash === -1 ? target : target.slice(0, hash);
  const rest = hash === -1 ? '' : target.slice(hash + 1);
  if (!repo.trim()) throw new ReadError('read', `Git location ${JSON.stringify(target)} names no repository, ${example}`);
  if (repo.startsWith('-')) {
    throw new ReadError('security', `Git repository ${JSON.stringify(repo)} in ${JSON.stringify(target)} starts with "-"`);
  }
  const colon = rest.indexOf(':');
  const writtenRef = colon === -1 ? rest : rest.slice(0, colon);
  const ref = writtenRef === '' && options.defaultRef !== undefined ? options.defaultRef : writtenRef;
  if (!isValidGitRef(ref)) {
    throw new ReadError('security', `Git ref ${JSON.stringify(ref)} in ${JSON.stringify(target)} is not a valid branch, tag or commit name`);
  }
  const rawPath = colon === -1 ? (options.defaultPath ?? '') : rest.slice(colon + 1);
  const p = normalizeRepoPath(rawPath);
  if (options.requirePath && p === '') throw new ReadError('read', `Git location ${JSON.stringify(target)} names no file`);
  return { repo, ref, path: p };
}

/** The inverse of {@link parseGitLocation}: `<repo>#<ref>:<path>` (`<repo>#<ref>` for the root). */
export function formatGitLocation(location: GitLocation): string {
  return `${location.repo}#${location.ref}${location.path ? `:${location.path}` : ''}`;
}
