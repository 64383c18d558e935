import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveTechdocsSettings } from './config.js';

const configDir = '/etc/atrium';
const dataDir = '/var/lib/atrium';
const noSources = { fileRoots: [], configLocationDirs: [] };
const resolve = (raw: Parameters<typeof resolveTechdocsSettings>[0]) => resolveTechdocsSettings(raw, noSources, () => configDir, dataDir);

describe('resolveTechdocsSettings: where TechDocs writes', () => {
  // The Docker image cannot write to its working directory or rely on a shared temp folder:
  // every folder the plugin writes defaults to the host's data directory.
  it('caches git repositories in the replica’s shared git cache by default, under backend.dataDir', () => {
    expect(resolve({}).git.cacheDir).toBe(path.join(dataDir, 'git-cache'));
    const shared = resolveTechdocsSettings({}, { ...noSources, gitCacheDir: '/var/lib/atrium/git-cache' }, () => configDir, dataDir);
    expect(shared.git.cacheDir).toBe('/var/lib/atrium/git-cache');
  });

  it('resolves a relative git cache against backend.dataDir and keeps an absolute one', () => {
    expect(resolve({ git: { cacheDir: 'cache/git' } }).git.cacheDir).toBe(path.join(dataDir, 'cache', 'git'));
    expect(resolve({ git: { cacheDir: '/srv/git-cache' } }).git.cacheDir).toBe('/srv/git-cache');
  });

  it('stores directory sites under backend.dataDir unless a directory is configured', () => {
    expect(resolve({ storage: { type: 'directory' } }).storage).toEqual({ type: 'directory', directory: path.join(dataDir, 'techdocs', 'sites') });
    expect(resolve({ storage: { type: 'directory', directory: 'sites' } }).storage).toEqual({ type: 'directory', directory: path.join(configDir, 'sites') });
  });
});

describe('resolveTechdocsSettings: where TechDocs reads', () => {
  it('defaults its allowed roots to the sources service roots and the config folder, not the catalog section', () => {
    const sources = { fileRoots: ['/srv/repos'], configLocationDirs: ['/srv/catalog'] };
    expect(resolveTechdocsSettings({}, sources, () => configDir, dataDir).allowedRoots).toEqual(['/srv/catalog', '/srv/repos', configDir]);
    expect(resolve({}).allowedRoots).toEqual([configDir]);
  });

  it('keeps techdocs.allowedRoots when set', () => {
    const sources = { fileRoots: ['/srv/repos'], configLocationDirs: [] };
    expect(resolveTechdocsSettings({ allowedRoots: ['docs'] }, sources, () => configDir, dataDir).allowedRoots).toEqual([path.join(configDir, 'docs')]);
  });
});
