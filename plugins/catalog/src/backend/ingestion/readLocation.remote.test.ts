import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLocation } from './readLocation.js';
import { component, git, tempDir, writeTree, removeTempDirs } from './testUtils.js';

afterAll(removeTempDirs);

describe('readLocation: url locations', () => {
  let server: http.Server;
  let base: string;
  const pages: Record<string, string> = {
    '/repo/catalog-info.yaml': `${component('web', '  providesApis: [web-api]')}---
apiVersion: backstage.io/v1alpha1
kind: API
metadata: {name: web-api}
spec:
  type: openapi
  lifecycle: production
  owner: team-a
  definition: {$text: ./api/openapi.yaml}
---
apiVersion: backstage.io/v1alpha1
kind: Location
metadata: {name: more}
spec:
  targets: [./more/catalog-info.yaml, ../other/x.yaml]
---
apiVersion: backstage.io/v1alpha1
kind: Location
metadata: {name: local-files}
spec:
  type: file
  target: /etc/passwd
`,
    '/repo/api/openapi.yaml': 'openapi: 3.1.0\n',
  };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const body = pages[req.url ?? ''];
      if (body === undefined) res.writeHead(404).end();
      else res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('reads entities, resolving placeholders and Location targets against the URL', async () => {
    const url = `${base}/repo/catalog-info.yaml`;
    const result = await readLocation({ type: 'url', target: url }, { fileRoots: [], allowPrivateNetworks: true });
    expect(result.files).toEqual([url, `${base}/repo/api/openapi.yaml`]);
    const [web, api] = result.entities;
    expect(web?.entity?.metadata.annotations).toEqual({
      'backstage.io/managed-by-location': `url:${url}`,
      'backstage.io/managed-by-origin-location': `url:${url}`,
      'backstage.io/view-url': url,
      'backstage.io/source-location': `url:${base}/repo/`,
    });
    expect(api?.entity?.spec?.definition).toBe('openapi: 3.1.0\n');
    expect(result.childLocations.map((c) => [c.type, c.target])).toEqual([
      ['url', `${base}/repo/more/catalog-info.yaml`],
      ['url', `${base}/other/x.yaml`],
    ]);
    // A remote descriptor may not point the catalog at files on this machine.
    expect(result.errors).toEqual([expect.objectContaining({ kind: 'security', field: 'spec.target' })]);
  });

  it('refuses private addresses unless allowed', async () => {
    const result = await readLocation({ type: 'url', target: `${base}/repo/catalog-info.yaml` }, { fileRoots: [] });
    expect(result.entities).toEqual([]);
    expect(result.errors).toEqual([expect.objectContaining({ kind: 'security', message: expect.stringMatching(/loopback, private or link-local/) })]);
  });

  it('reports a missing URL as a read error unless optional', async () => {
    const spec = { type: 'url' as const, target: `${base}/nope.yaml` };
    expect((await readLocation(spec, { fileRoots: [], allowPrivateNetworks: true })).errors[0]?.kind).toBe('read');
    expect((await readLocation({ ...spec, presence: 'optional' }, { fileRoots: [], allowPrivateNetworks: true })).errors).toEqual([]);
  });
});

describe('readLocation: git locations', () => {
  let root: string;
  let repoUrl: string;

  beforeAll(async () => {
    root = await tempDir();
    const work = path.join(root, 'repo');
    await writeTree(work, {
      'catalog-info.yaml': `apiVersion: backstage.io/v1alpha1
kind: Location
metadata: {name: services}
spec:
  targets: [./services/*/catalog-info.yaml]
`,
      'services/a/catalog-info.yaml': component('svc-a', '  providesApis: [a-api]'),
      'services/b/catalog-info.yaml': `apiVersion: backstage.io/v1alpha1
kind: API
metadata: {name: a-api}
spec: {type: openapi, lifecycle: production, owner: team-a, definition: {$text: ./openapi.yaml}}
`,
      'services/b/openapi.yaml': 'openapi: 3.0.0\n',
    });
    git(work, 'init', '--quiet', '-b', 'main');
    git(work, 'add', '.');
    git(work, 'commit', '--quiet', '-m', 'init');
    repoUrl = pathToFileURL(work).href;
  });

  it('reads the root file, reports the commit and returns relative targets as git locations', async () => {
    const options = { fileRoots: [root], gitCacheDir: path.join(root, 'cache') };
    const result = await readLocation({ type: 'git', target: `${repoUrl}#main:catalog-info.yaml` }, options);
    expect(result.errors).toEqual([]);
    expect(result.revision).toMatch(/^[0-9a-f]{40}$/);
    expect(result.entities[0]?.entity?.metadata.annotations?.['backstage.io/managed-by-location']).toBe(`git:${repoUrl}#main:catalog-info.yaml`);
    expect(result.childLocations).toEqual([
      { type: 'git', target: `${repoUrl}#main:services/*/catalog-info.yaml`, presence: 'required', parentEntityRef: 'location:default/services' },
    ]);

    const child = await readLocation(result.childLocations[0]!, { ...options, originLocation: { type: 'git', target: `${repoUrl}#main:catalog-info.yaml` } });
    expect(child.errors).toEqual([]);
    expect(child.entities.map((e) => e.entityRef)).toEqual(['component:default/svc-a', 'api:default/a-api']);
    expect(child.entities[1]?.entity?.spec?.definition).toBe('openapi: 3.0.0\n');
    expect(child.files).toEqual([
      `${repoUrl}#main:services/a/catalog-info.yaml`,
      `${repoUrl}#main:services/b/catalog-info.yaml`,
      `${repoUrl}#main:services/b/openapi.yaml`,
    ]);
    expect(child.entities[0]?.entity?.metadata.annotations?.['backstage.io/managed-by-origin-location']).toBe(`git:${repoUrl}#main:catalog-info.yaml`);
    expect(child.revision).toBe(result.revision);
  });

  it('gives a clear read error for a missing ref', async () => {
    const result = await readLocation(
      { type: 'git', target: `${repoUrl}#nope:catalog-info.yaml` },
      { fileRoots: [root], gitCacheDir: path.join(root, 'cache') },
    );
    expect(result.errors).toEqual([expect.objectContaining({ kind: 'read', message: expect.stringMatching(/Cannot fetch "nope"/) })]);
  });

  it('refuses loopback repositories in every git syntax, naming the key that would allow them', async () => {
    for (const repo of ['x@127.0.0.1:repo', '[::1]:repo', 'ssh://x@127.1/repo', 'git://0x7f.1/repo', 'https://2130706433/repo.git']) {
      const result = await readLocation(
        { type: 'git', target: `${repo}#main:catalog-info.yaml` },
        { fileRoots: [root], gitCacheDir: path.join(root, 'cache') },
      );
      expect(result.errors, repo).toEqual([
        expect.objectContaining({ kind: 'security', message: expect.stringContaining('set backend.reading.allowPrivateNetworks: true to allow it') }),
      ]);
    }
  });
});
