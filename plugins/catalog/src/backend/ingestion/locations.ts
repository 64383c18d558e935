import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isPathInside, isValidGitRef, isWithin, normalizeRepoPath as normalizeSharedRepoPath, parseGitLocation, ReadError } from '@atrium/source-readers';
export { isValidGitRef, isWithin };
import type { LocationSpec } from './types.js';

/** One concrete file a reader can open: where a descriptor or placeholder target lives. */
export type Place = { type: 'file'; path: string } | { type: 'url'; url: string } | { type: 'git'; repo: string; ref: string; path: string };

export interface GitTarget {
  repo: string;
  ref: string;
  /** Path or glob relative to the repository root, `/`-separated, never starting with `/`. */
  path: string;
}

const DEFAULT_GIT_PATH = 'catalog-info.yaml';
const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

/** Normalises a repository-relative path; throws a security ReadError if it leaves the repository. */
export function normalizeRepoPath(p: string, what: string): string {
  return normalizeSharedRepoPath(p, what);
}

/** Parses `<repo url>#<ref>[:<path>]` with the shared grammar (parseGitLocation); the path defaults to catalog-info.yaml and must name a file. */
export function parseGitTarget(target: string): GitTarget {
  return parseGitLocation(target, { defaultPath: DEFAULT_GIT_PATH, requirePath: true });
}

export function formatGitTarget(target: GitTarget): string {
  return `${target.repo}#${target.ref}:${target.path}`;
}

/** Human-readable name of a place: an absolute path, a URL, or `<repo>#<ref>:<path>`. */
export function describePlace(place: Place): string {
  switch (place.type) {
    case 'file':
      return place.path;
    case 'url':
      return place.url;
    case 'git':
      return formatGitTarget(place);
  }
}

/** The location spec that reads exactly this place. */
export function specOfPlace(place: Place): LocationSpec {
  return { type: place.type, target: describePlace(place) };
}

/** Backstage's location ref form, `<type>:<target>`: `file:/abs/path`, `url:https://…`, `git:<repo>#<ref>:<path>`. */
export function locationRefOf(spec: Pick<LocationSpec, 'type' | 'target'>): string {
  return `${spec.type}:${spec.target}`;
}

export function isHttpUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

/**
 * Resolves a placeholder target (`$text: ./api.yaml`, `$json: https://…`) against the file
 * that holds it. Absolute http(s) URLs are read as URLs from any base; other targets stay
 * with the base's own kind of storage (a path next to the file, a URL relative to the URL,
 * a path in the same git tree). `file:` URLs are accepted only from files.
 */
export function resolvePlace(base: Place, target: string): Place {
  if (isHttpUrl(target)) return { type: 'url', url: new URL(target).href };
  const hasScheme = SCHEME.test(target) && !/^[a-zA-Z]:[\\/]/.test(target);
  switch (base.type) {
    case 'file': {
      if (hasScheme) {
        if (target.toLowerCase().startsWith('file:')) return { type: 'file', path: fileURLToPath(target) };
        throw new ReadError('security', `Cannot read ${JSON.stringify(target)}: only relative paths, file: and http(s) URLs are supported here`);
      }
      return { type: 'file', path: path.resolve(path.dirname(base.path), target) };
    }
    case 'url': {
      if (hasScheme) {
        throw new ReadError('security', `Cannot read ${JSON.stringify(target)} from a URL location: only http(s) URLs and relative references are allowed`);
      }
      const url = new URL(target, base.url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new ReadError('security', `Cannot read ${JSON.stringify(target)}: only http(s) URLs are allowed`);
      }
      return { type: 'url', url: url.href };
    }
    case 'git': {
      if (hasScheme) {
        throw new ReadError(
          'security',
          `Cannot read ${JSON.stringify(target)} from a git location: only http(s) URLs and paths inside the repository are allowed`,
        );
      }
      const joined = target.startsWith('/') ? target : path.posix.join(path.posix.dirname(base.path), target);
      return { type: 'git', repo: base.repo, ref: base.ref, path: normalizeRepoPath(joined, 'Path') };
    }
  }
}

/**
 * Resolves a Location entity's target against the file holding it, honouring `spec.type`
 * (default: the type of that file's location). Globs are kept as globs. Throws a security
 * ReadError for targets a location of this kind may not name (a remote file naming local files).
 */
export function resolveChildTarget(base: Place, type: string | undefined, target: string, fileRoots: readonly string[]): LocationSpec {
  const childType = type ?? base.type;
  if (childType === 'url') {
    if (isHttpUrl(target)) return { type: 'url', target: new URL(target).href };
    if (base.type === 'url') return { type: 'url', target: (resolvePlace(base, target) as { url: string }).url };
    throw new ReadError('read', `Location target ${JSON.stringify(target)} of type url must be an absolute http(s) URL`);
  }
  if (childType === 'git') {
    if (base.type === 'git' && !target.includes('#')) {
      const p = resolvePlace(base, target) as Extract<Place, { type: 'git' }>;
      return { type: 'git', target: formatGitTarget(p) };
    }
    return { type: 'git', target: formatGitTarget(parseGitTarget(target)) };
  }
  if (childType === 'file') {
    if (base.type !== 'file') {
      throw new ReadError('security', `Location target ${JSON.stringify(target)} of type file is refused: only file locations may name files on this machine`);
    }
    const resolved = path.resolve(path.dirname(base.path), target);
    if (!fileRoots.some((root) => isPathInside(root, resolved))) {
      throw new ReadError('security', `Location target ${JSON.stringify(target)} resolves to ${resolved}, which is outside the allowed file roots`);
    }
    return { type: 'file', target: resolved };
  }
  throw new ReadError('read', `Location type ${JSON.stringify(childType)} is not supported; use file, url or git`);
}
