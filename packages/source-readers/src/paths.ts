import path from 'node:path';

// Branch, tag or commit: git's ref-name rules, narrowed to a safe character set.
const REF_PATTERN = /^[A-Za-z0-9._/-]+$/;

/** Whether a git ref is safe to hand to git: no option-like or traversal forms. */
export function isValidGitRef(ref: string): boolean {
  return (
    REF_PATTERN.test(ref) &&
    !ref.startsWith('-') &&
    !ref.startsWith('/') &&
    !ref.endsWith('/') &&
    !ref.endsWith('.') &&
    !ref.endsWith('.lock') &&
    !ref.includes('..') &&
    !ref.includes('//') &&
    !ref.split('/').some((part) => part.startsWith('.'))
  );
}

/** Whether `child` is `root` or inside it (both absolute, already normalised). */
export function isWithin(root: string, child: string): boolean {
  const rel = path.relative(root, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
