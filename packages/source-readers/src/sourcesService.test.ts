import path from 'node:path';
import { coreServices, createServiceFactory, ServiceRegistry, type ConfigService, type Logger } from '@atrium/backend-plugin-api';
import { describe, expect, it } from 'vitest';
import { createSourcesService, resolveSourcesSettings, sourcesServiceRef } from './sourcesService.js';

/** A config with one base folder per top-level key, like a merged set of config files. */
function config(data: Record<string, unknown>, baseDirs: Record<string, string> = {}): ConfigService {
  const get = (keyPath: string): unknown =>
    keyPath.split('.').reduce<unknown>((node, k) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[k] : undefined), data);
  return {
    data,
    get,
    originOf: () => undefined,
    baseDirOf: (keyPath) => baseDirs[keyPath.split('.')[0]!] ?? '/etc/atrium',
  };
}

describe('resolveSourcesSettings', () => {
  it('reads backend.reading, resolving roots against the file that set them', () => {
    const s = resolveSourcesSettings(
      config({ backend: { reading: { fileRoots: ['repos', '/srv/x'], allowPrivateNetworks: true } } }, { backend: '/opt/conf' }),
    );
    expect(s.fileRoots).toEqual([path.resolve('/opt/conf/repos'), '/srv/x']);
    expect(s).toMatchObject({
      fileRootsConfigured: true,
      fileRootsKey: 'backend.reading.fileRoots',
      allowPrivateNetworks: true,
      privateNetworksKey: 'backend.reading.allowPrivateNetworks',
      deprecatedKeys: [],
    });
  });

  it('still honours catalog.readers.* as a deprecated alias, and backend.reading wins over it', () => {
    const alias = resolveSourcesSettings(config({ catalog: { readers: { fileRoots: ['r'], allowPrivateNetworks: true } } }, { catalog: '/cat' }));
    expect(alias).toMatchObject({
      fileRoots: ['/cat/r'],
      fileRootsKey: 'catalog.readers.fileRoots',
      allowPrivateNetworks: true,
      privateNetworksKey: 'catalog.readers.allowPrivateNetworks',
    });
    expect(alias.deprecatedKeys).toEqual(['catalog.readers.fileRoots', 'catalog.readers.allowPrivateNetworks']);
    const both = resolveSourcesSettings(
      config({
        backend: { reading: { fileRoots: ['/a'], allowPrivateNetworks: false } },
        catalog: { readers: { fileRoots: ['/b'], allowPrivateNetworks: true } },
      }),
    );
    expect(both).toMatchObject({ fileRoots: ['/a'], allowPrivateNetworks: false, deprecatedKeys: [] });
  });

  it('reports no roots when none are configured, and the folders of config file locations', () => {
    const s = resolveSourcesSettings(
      config(
        {
          catalog: {
            readers: { allowPrivateNetworks: false },
            locations: [
              { type: 'file', target: 'cat/all.yaml' },
              { type: 'file', target: '/srv/glob/**/*.yaml' },
              { type: 'url', target: 'https://x/y.yaml' },
            ],
          },
        },
        { catalog: '/proj' },
      ),
    );
    expect(s).toMatchObject({ fileRoots: [], fileRootsConfigured: false, allowPrivateNetworks: false, deprecatedKeys: [] });
    expect(s.configLocationDirs).toEqual(['/proj/cat', '/srv/glob']);
  });
});

describe('sourcesServiceRef', () => {
  const warnings: string[] = [];
  const logger = { warn: (msg: string) => void warnings.push(msg) } as unknown as Logger;
  const roots = (data: Record<string, unknown>) => [
    createServiceFactory(coreServices.rootConfig, () => config(data)),
    createServiceFactory(coreServices.rootLogger, () => logger),
  ];

  it('is built once per backend from the root config by its default factory', async () => {
    const registry = new ServiceRegistry(roots({ backend: { reading: { fileRoots: ['/srv/repos'] } } }));
    const sources = await registry.get(sourcesServiceRef);
    expect(sources.fileRoots).toEqual(['/srv/repos']);
    expect(await registry.get(sourcesServiceRef, 'techdocs')).toBe(sources);
    expect(sources.parseGitLocation('r#main:a.yaml')).toEqual({ repo: 'r', ref: 'main', path: 'a.yaml' });
    await expect(sources.confine('/etc/passwd')).rejects.toThrow(/outside the allowed roots/);
  });

  it('warns once for each deprecated catalog.readers key it honours', async () => {
    warnings.length = 0;
    const registry = new ServiceRegistry(roots({ catalog: { readers: { fileRoots: ['/srv/old'] } } }));
    expect((await registry.get(sourcesServiceRef)).fileRoots).toEqual(['/srv/old']);
    await registry.get(sourcesServiceRef);
    expect(warnings).toEqual(['catalog.readers.fileRoots is deprecated: move it to backend.reading.fileRoots (one section every plugin reads)']);
  });

  it('can be replaced like any core service', async () => {
    const override = createServiceFactory(sourcesServiceRef, () =>
      createSourcesService({
        fileRoots: ['/x'],
        fileRootsConfigured: true,
        fileRootsKey: 'k',
        allowPrivateNetworks: false,
        privateNetworksKey: 'p',
        configLocationDirs: [],
        deprecatedKeys: [],
      }),
    );
    const registry = new ServiceRegistry(roots({ backend: { reading: { fileRoots: ['/srv/repos'] } } }), [override]);
    expect((await registry.get(sourcesServiceRef)).fileRoots).toEqual(['/x']);
  });
});
