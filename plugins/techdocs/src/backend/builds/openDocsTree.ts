import type { TechdocsSettings } from '../config.js';
import type { DocsTree } from '../source/DocsSource.js';
import { GitDocsTree } from '../source/gitTree.js';
import { LocalDocsTree } from '../source/localTree.js';
import { checkAllowedRoot, resolveDocsLocation } from '../source/resolveDocsLocation.js';

/** Opens the docs tree an entity's annotations point at, applying the configured guards. */
export async function openDocsTree(techdocsRef: string, locationRef: string | null, settings: TechdocsSettings, signal?: AbortSignal): Promise<DocsTree> {
  const location = resolveDocsLocation(techdocsRef, locationRef ?? undefined);
  const maxFileBytes = Math.max(settings.limits.maxPageBytes, settings.limits.maxAssetBytes);
  if (location.type === 'dir') {
    const real = await checkAllowedRoot(location.path, settings.allowedRoots);
    return LocalDocsTree.open(real, { maxFileBytes, maxFiles: settings.limits.maxFiles });
  }
  return GitDocsTree.open(location, {
    cacheDir: settings.git.cacheDir,
    timeoutMs: settings.git.timeoutMs,
    maxFileBytes,
    maxFiles: settings.limits.maxFiles,
    allowPrivateNetworks: settings.git.allowPrivateNetworks,
    fileRoots: settings.allowedRoots,
    ...(signal ? { signal } : {}),
  });
}
