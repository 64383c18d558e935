import path from 'node:path';
import { DocsSourceError, normalizeTreePath } from './DocsSource.js';
import { confinePath, isValidGitRef, parseGitLocation, ReadError } from '@atrium/source-readers';
import type { GitSource } from './gitTree.js';

/** Where an entity's docs live, before anything is read. */
export type DocsLocation = { type: 'dir'; path: string } | ({ type: 'git' } & GitSource);

export function describeDocsLocation(l: DocsLocation): string {
  return l.type === 'dir' ? l.path : `${l.repo}#${l.ref}${l.path ? `:${l.path}` : ''}`;
}

/**
 * Resolves `backstage.io/techdocs-ref` against `backstage.io/managed-by-location`:
 * `dir:<path>` is relative to the descriptor's folder (a local folder, or a folder in the same
 * git commit); `url:<repository or folder URL>` names a GitHub/GitLab tree or a git repository.
 */
export function resolveDocsLocation(techdocsRef: string, managedByLocation: string | undefined): DocsLocation {
  const ref = techdocsRef.trim();
  const colon = ref.indexOf(':');
  const type = colon > 0 ? ref.slice(0, colon) : '';
  const target = colon > 0 ? ref.slice(colon + 1).trim() : '';
  if (!target) {
    throw new DocsSourceError('unsupported', `techdocs-ref ${JSON.stringify(techdocsRef)} is not of the form dir:<path> or url:<url>`);
  }
  switch (type) {
    case 'dir':
      return resolveDir(target, managedByLocation);
    case 'url':
      return gitSourceFromUrl(target, '');
    case 'git':
      return { type: 'git', ...parseGitTarget(target, '') };
    default:
      throw new DocsSourceError('unsupported', `techdocs-ref type ${JSON.stringify(type)} is not supported; use dir:<path> or url:<url>`);
  }
}

function resolveDir(relative: string, managedByLocation: string | undefined): DocsLocation {
  if (!managedByLocation) {
    throw new DocsSourceError('unsupported', "techdocs-ref dir: needs the entity's backstage.io/managed-by-location annotation to resolve against");
  }
  const colon = managedByLocation.indexOf(':');
  const locType = managedByLocation.slice(0, colon);
  const locTarget = managedByLocation.slice(colon + 1);
  if (path.isAbsolute(relative) || /^[a-z][a-z0-9+.-]*:/i.test(relative)) {
    throw new DocsSourceError('security', `techdocs-ref dir:${relative} must be a relative path`);
  }
  switch (locType) {
    case 'file':
      return { type: 'dir', path: path.resolve(path.dirname(locTarget), relative) };
    case 'git': {
      const src = parseGitTarget(locTarget, 'catalog-info.yaml');
      return { type: 'git', repo: src.repo, ref: src.ref, path: joinRepoPath(path.posix.dirname(src.path), relative) };
    }
    case 'url': {
      const src = gitSourceFromUrl(locTarget, 'file');
      return { ...src, path: joinRepoPath(path.posix.dirname(src.path), relative) };
    }
    default:
      throw new DocsSourceError('unsupported', `Cannot resolve techdocs-ref dir: against a ${JSON.stringify(locType)} location`);
  }
}

function joinRepoPath(base: string, relative: string): string {
  const joined = path.posix.join(base === '.' ? '' : base, relative);
  if (joined === '..' || joined.startsWith('../')) {
    throw new DocsSourceError('security', `techdocs-ref dir:${relative} points outside the repository`);
  }
  return normalizeTreePath(joined);
}

/**
 * `<repo url>#<ref>[:<path>]`, the catalog's git location form, parsed by the shared
 * parseGitLocation; a missing ref means `HEAD`, a missing path `defaultPath`.
 */
export function parseGitTarget(target: string, defaultPath: string): GitSource {
  try {
    const { repo, ref, path: p } = parseGitLocation(target, { defaultPath, defaultRef: 'HEAD' });
    return { repo, ref, path: normalizeTreePath(p) };
  } catch (error) {
    if (error instanceof ReadError) throw new DocsSourceError(error.kind === 'security' ? 'security' : 'unsupported', error.message);
    throw error;
  }
}

/**
 * Maps a repository or folder URL to a git source. GitHub (`/tree/<ref>/<path>`,
 * `/blob/<ref>/<path>`) and GitLab (`/-/tree/…`, `/-/blob/…`) URLs are understood; a plain
 * repository URL means its default branch. `expect: 'file'` says the URL names a file.
 */
export function gitSourceFromUrl(raw: string, expect: '' | 'file'): { type: 'git' } & GitSource {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DocsSourceError('unsupported', `${JSON.stringify(raw)} is not a URL`);
  }
  if (url.protocol === 'file:') {
    return { type: 'git', ...parseGitTarget(raw, expect === 'file' ? 'catalog-info.yaml' : '') };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new DocsSourceError('unsupported', `URL ${raw} uses an unsupported scheme ${url.protocol}`);
  }
  const segments = url.pathname
    .split('/')
    .filter(Boolean)
    .map((s) => decodeURIComponent(s));
  const gitlabSep = segments.indexOf('-');
  let repoSegments: string[];
  let rest: string[];
  if (gitlabSep > 0) {
    repoSegments = segments.slice(0, gitlabSep);
    rest = segments.slice(gitlabSep + 1);
  } else {
    repoSegments = segments.slice(0, 2);
    rest = segments.slice(2);
  }
  if (repoSegments.length < 2) throw new DocsSourceError('unsupported', `Cannot find a repository in URL ${raw}`);
  let ref = 'HEAD';
  let p = '';
  if (rest.length > 0) {
    if (rest[0] !== 'tree' && rest[0] !== 'blob' && rest[0] !== 'src') {
      throw new DocsSourceError('unsupported', `URL ${raw} is not a repository, tree or file URL on GitHub or GitLab; use git:<repo>#<ref>:<path>`);
    }
    ref = rest[1] ?? 'HEAD';
    p = rest.slice(2).join('/');
  }
  if (!isValidGitRef(ref)) throw new DocsSourceError('security', `Git ref ${JSON.stringify(ref)} in ${raw} is not a valid branch, tag or commit name`);
  const repoPath = repoSegments.join('/').replace(/\.git$/, '');
  return { type: 'git', repo: `${url.protocol}//${url.host}/${repoPath}.git`, ref, path: normalizeTreePath(p) };
}

/** Refuses local folders outside the allowed roots (as written and by real path, so links cannot escape). */
export async function checkAllowedRoot(dir: string, allowedRoots: string[]): Promise<string> {
  try {
    return await confinePath(allowedRoots, path.resolve(dir));
  } catch (error) {
    if (!(error instanceof ReadError)) throw error;
    if (error.notFound) throw new DocsSourceError('not-found', `Docs folder ${dir} does not exist`);
    if (error.kind === 'security') throw new DocsSourceError('security', `Docs folder ${dir} is outside the allowed roots (techdocs.allowedRoots)`);
    throw new DocsSourceError('read', error.message);
  }
}
