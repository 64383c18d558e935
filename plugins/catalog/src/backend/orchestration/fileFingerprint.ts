import fs from 'node:fs/promises';
import { sha1 } from '../stitching/hash.js';

/** Files changed this recently are not trusted to a fingerprint: a write may still be landing. */
const SETTLE_MS = 2000;

/**
 * A cheap stand-in for re-reading a file-only location tree: the size and modification time
 * of every file it read. Undefined when a file is gone or was modified moments ago.
 */
export async function fileFingerprint(files: string[]): Promise<string | undefined> {
  if (files.length === 0) return undefined;
  const parts: string[] = [];
  const now = Date.now();
  for (const file of files) {
    try {
      const stat = await fs.stat(file);
      if (now - stat.mtimeMs < SETTLE_MS) return undefined;
      parts.push(`${file}\u0000${stat.mtimeMs}\u0000${stat.size}`);
    } catch {
      return undefined;
    }
  }
  return sha1(parts.join('\n'));
}
