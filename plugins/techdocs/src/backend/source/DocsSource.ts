/**
 * Where a site's sources come from. The build pipeline only sees a DocsTree: the files under
 * the docs root (the directory holding mkdocs.yml). Local folders and git repositories are
 * implemented here; a host-level reader service can implement the same interface later.
 */
export interface DocsTree {
  /**
   * Every file, as posix paths relative to the docs root, sorted. `under` is a hint: a tree may
   * list only that folder (relative to the root) — callers filter anyway.
   */
  list(under?: string): Promise<string[]>;
  /** Reads one file by its relative path. Rejects with a DocsSourceError when it is missing or refused. */
  read(path: string): Promise<Buffer>;
  /** Commit hash or similar identity of the tree's content, when the source has one. */
  revision?: string;
  /** Human-readable description of where the tree is (for logs). */
  describe(): string;
  /** "Edit this page" URL of a file in the tree, when the source host has one. */
  editUrl?(path: string): string | undefined;
}

export type DocsSourceErrorKind = 'not-found' | 'security' | 'read' | 'too-large' | 'unsupported';

/** A source problem the build reports in its log instead of crashing. */
export class DocsSourceError extends Error {
  constructor(
    readonly kind: DocsSourceErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'DocsSourceError';
  }
}

/** Normalizes a tree-relative path; throws a security error when it would leave the tree. */
export function normalizeTreePath(p: string): string {
  if (p.includes('\0')) throw new DocsSourceError('security', `Path ${JSON.stringify(p)} contains a NUL character`);
  const parts: string[] = [];
  for (const seg of p.replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) throw new DocsSourceError('security', `Path ${JSON.stringify(p)} points outside the docs source`);
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}
