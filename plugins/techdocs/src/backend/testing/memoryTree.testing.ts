import { DocsSourceError, normalizeTreePath, type DocsTree } from '../source/DocsSource.js';

/** A DocsTree over an in-memory file map, for build tests. */
export function memoryTree(files: Record<string, string | Buffer>, options: { revision?: string; maxFileBytes?: number } = {}): DocsTree {
  const map = new Map(Object.entries(files).map(([k, v]) => [k, Buffer.isBuffer(v) ? v : Buffer.from(v)]));
  return {
    ...(options.revision ? { revision: options.revision } : {}),
    describe: () => 'memory',
    list: async () => [...map.keys()].sort(),
    read: async (p) => {
      const rel = normalizeTreePath(p);
      const b = map.get(rel);
      if (!b) throw new DocsSourceError('not-found', `File not found: ${rel}`);
      if (options.maxFileBytes && b.length > options.maxFileBytes) throw new DocsSourceError('too-large', `File ${rel} is too large`);
      return b;
    },
    editUrl: (p) => `https://git.example.com/edit/${p}`,
  };
}
