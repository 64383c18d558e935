/**
 * What discovery accepts from GitHub before a name reaches a URL, a path or an entity: GitHub's
 * own rules for owners and repositories, and repository-relative paths without `..`, absolute
 * or option-like parts. Anything else is refused with the reason (shown on that repository).
 */
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;

export function checkOwner(owner: string): string | undefined {
  return OWNER.test(owner) ? undefined : `refused owner name ${JSON.stringify(owner)}`;
}

export function checkRepoName(name: string): string | undefined {
  if (!REPO.test(name) || name === '.' || name === '..' || name.startsWith('-') || name.includes('..'))
    return `refused repository name ${JSON.stringify(name)}`;
  return undefined;
}

/** A path inside a repository (no leading slash): every segment plain, none `.`/`..`, none option-like. */
export function checkRepoPath(path: string): string | undefined {
  if (path.length === 0 || path.length > 1000 || /[\0\\]/.test(path) || path.startsWith('/')) return `refused path ${JSON.stringify(path)}`;
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.' || seg === '..' || seg.startsWith('-')) return `refused path ${JSON.stringify(path)}`;
  }
  return undefined;
}

/** A ref (default branch) safe to pass as `?ref=`: git's rules, short of the full check. */
export function checkRef(ref: string): string | undefined {
  if (!ref || ref.length > 255 || ref.startsWith('-') || ref.includes('..') || /[\0-\x20~^:?*[\\]/.test(ref) || ref.endsWith('.lock') || ref.endsWith('/'))
    return `refused branch name ${JSON.stringify(ref)}`;
  return undefined;
}

export const isGlob = (p: string) => /[*?[\]{}]/.test(p);

/** An entity name from a GitHub login or slug (entity names: [a-zA-Z0-9], `-_.`, at most 63). */
export function entityName(s: string): string {
  const cleaned = s
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 63)
    .replace(/[^A-Za-z0-9]+$/, '');
  return cleaned || 'unnamed';
}
