import path from 'node:path';

/** Whether `child` is `root` or inside it (both absolute, already normalised). */
export function isWithin(root: string, child: string): boolean {
  const rel = path.relative(root, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
