import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultFileRoots, resolveCatalogSettings, type HostFacts, type RawCatalogConfig } from './config.js';

const project = '/work/project';
const laptop: HostFacts = { dataDir: '/work/project/.atrium', embeddedDatabase: true, homeDir: '/home/ada' };
const server: HostFacts = { ...laptop, embeddedDatabase: false };
const raw = (readers: Partial<RawCatalogConfig['readers']> = {}): RawCatalogConfig => ({
  locations: [],
  kinds: [],
  orphanStrategy: 'delete',
  refreshIntervalSeconds: 120,
  processingPollMs: 1000,
  readers: { allowPrivateNetworks: false, ...readers },
});

describe('catalog settings', () => {
  it('lets a laptop (embedded database) read the project, the home directory and <dataDir>/repos by default', () => {
    const settings = resolveCatalogSettings(raw(), () => project, laptop);
    expect(settings.fileRoots).toEqual([project, '/home/ada', '/work/project/.atrium/repos']);
    expect(settings.fileRootsDefaulted).toBe(true);
    expect(settings.readers.allowPrivateNetworks).toBe(false);
  });

  it('allows no file roots by default on a Postgres server, and exactly the configured ones anywhere', () => {
    expect(resolveCatalogSettings(raw(), () => project, server).fileRoots).toEqual([]);
    const configured = resolveCatalogSettings(raw({ fileRoots: ['repos', '/srv/catalog'] }), () => project, laptop);
    expect(configured.fileRoots).toEqual([path.join(project, 'repos'), '/srv/catalog']);
    expect(configured.fileRootsDefaulted).toBe(false);
    expect(resolveCatalogSettings(raw({ fileRoots: [] }), () => project, laptop).fileRoots).toEqual([]);
  });

  it('takes file roots and private-network access from the sources service (backend.reading) when given', () => {
    const sources = { fileRoots: ['/srv/shared'], fileRootsConfigured: true, allowPrivateNetworks: true };
    const settings = resolveCatalogSettings(raw({ fileRoots: ['/ignored'], allowPrivateNetworks: false }), () => project, server, sources);
    expect(settings.fileRoots).toEqual(['/srv/shared']);
    expect(settings.fileRootsDefaulted).toBe(false);
    expect(settings.readers.allowPrivateNetworks).toBe(true);
    const unset = resolveCatalogSettings(raw(), () => project, laptop, { fileRoots: [], fileRootsConfigured: false, allowPrivateNetworks: false });
    expect(unset.fileRoots).toEqual([project, '/home/ada', '/work/project/.atrium/repos']);
    expect(unset.fileRootsDefaulted).toBe(true);
  });

  it('never makes the filesystem root a default root', () => {
    expect(defaultFileRoots('/', { ...laptop, homeDir: '/' })).toEqual(['/work/project/.atrium/repos']);
  });

  it('keeps git caches under the data directory', () => {
    expect(resolveCatalogSettings(raw(), () => project, server).gitCacheDir).toBe('/work/project/.atrium/git-cache');
  });
});
