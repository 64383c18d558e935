import { describe, expect, it } from 'vitest';
import { parseRepoUrl } from './actions/common.js';
import { retryAfterMs } from './client.js';
import { checkCatalogPath, readGitLabDiscoveryConfig } from './config.js';
import { checkBranch, checkProjectPath, parseDescriptor } from './descriptor.js';
import { buildOrgEntities, groupEntityName } from './orgEntities.js';
import { matchingSecrets } from './webhook.js';

const project = { id: 7, pathWithNamespace: 'acme/payments', webUrl: 'https://gitlab.example.com/acme/payments', branch: 'main' };

describe('GitLab descriptor parsing', () => {
  it('annotates each document with where it was read, keeping what the file sets', () => {
    const { entities, error } = parseDescriptor(
      'kind: Component\nmetadata:\n  name: a\n---\nkind: API\nmetadata:\n  name: b\n  annotations:\n    gitlab.com/project-slug: other/slug\n',
      project,
      'catalog-info.yaml',
    );
    expect(error).toBeUndefined();
    expect(entities).toHaveLength(2);
    expect(entities[0]!['metadata']).toMatchObject({
      annotations: {
        'backstage.io/managed-by-location': 'url:https://gitlab.example.com/acme/payments/-/blob/main/catalog-info.yaml',
        'backstage.io/source-location': 'url:https://gitlab.example.com/acme/payments/-/tree/main/',
        'gitlab.com/project-slug': 'acme/payments',
      },
    });
    expect((entities[1]!['metadata'] as { annotations: Record<string, string> }).annotations['gitlab.com/project-slug']).toBe('other/slug');
  });

  it('fails the file on bad YAML, a non-object document, or an alias bomb', () => {
    expect(parseDescriptor('a: [1,\n', project, 'c.yaml').error).toMatch(/not valid YAML/);
    expect(parseDescriptor('- 1\n- 2\n', project, 'c.yaml').error).toMatch(/document 1 is not an object/);
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
      ...'bcdefgh'
        .split('')
        .map(
          (c, i) =>
            `${c}: &${c} [*${'abcdefg'[i]},*${'abcdefg'[i]},*${'abcdefg'[i]},*${'abcdefg'[i]},*${'abcdefg'[i]},*${'abcdefg'[i]},*${'abcdefg'[i]},*${'abcdefg'[i]},*${'abcdefg'[i]},*${'abcdefg'[i]}]`,
        ),
    ].join('\n');
    expect(parseDescriptor(`${bomb}\nkind: Component\n`, project, 'c.yaml').error).toMatch(/too large/);
    expect(parseDescriptor('kind: !!js/function "() => 1"\n', project, 'c.yaml').error).toBeDefined();
  });
});

describe('GitLab names and paths', () => {
  it('refuses option-like, traversing and odd project paths and branches', () => {
    expect(checkProjectPath('acme/platform/svc')).toBeUndefined();
    expect(checkProjectPath('acme/my_svc.v2')).toBeUndefined();
    for (const bad of ['acme/-upload-pack', 'acme/..', 'acme/a..b', '../etc/passwd', 'acme', 'acme/.hidden', 'acme/x.git', 'acme/a b', 'acme/a\nb', 42])
      expect(checkProjectPath(bad)).toBeDefined();
    expect(checkBranch('main')).toBeUndefined();
    expect(checkBranch('feature/x')).toBeUndefined();
    for (const bad of ['--upload-pack=x', '-x', 'a..b', 'a b', 'refs/heads/../x', '']) expect(checkBranch(bad)).toBeDefined();
  });

  it('keeps catalogPath inside the repository', () => {
    expect(checkCatalogPath('/catalog-info.yaml')).toBe('catalog-info.yaml');
    expect(checkCatalogPath('services/a/catalog-info.yaml')).toBe('services/a/catalog-info.yaml');
    for (const bad of ['../x.yaml', 'a/../../x', '-x', 'a\\b', 'a\0b', 'a//b', '']) expect(() => checkCatalogPath(bad)).toThrow(/Invalid catalogPath/);
  });

  it('checks the discovery config and fills the defaults', () => {
    const [t] = readGitLabDiscoveryConfig([{ group: 'acme/platform' }]);
    expect(t).toMatchObject({
      host: 'gitlab.com',
      catalogPath: 'catalog-info.yaml',
      filters: { includeArchived: false },
      schedule: { intervalSeconds: 300 },
      syncOrg: false,
      maxRetryWaitSeconds: 30,
    });
    expect(() => readGitLabDiscoveryConfig([{ group: '-x' }])).toThrow(/integrations\.discovery\.gitlab\.0\.group/);
    expect(() => readGitLabDiscoveryConfig([{ group: 'acme', catalogPath: '../../etc/passwd' }])).toThrow(/catalogPath/);
    expect(() => readGitLabDiscoveryConfig([{ group: 'acme', filters: { name: '(' } }])).toThrow();
  });

  it("parses Backstage's repoUrl and refuses anything else", () => {
    expect(parseRepoUrl('gitlab.example.com?owner=acme%2Fplatform&repo=orders')).toEqual({
      host: 'gitlab.example.com',
      owner: 'acme/platform',
      repo: 'orders',
      projectPath: 'acme/platform/orders',
    });
    expect(parseRepoUrl('gitlab.example.com:8443?owner=acme&repo=orders').host).toBe('gitlab.example.com:8443');
    for (const bad of [
      'gitlab.com?owner=acme&repo=--upload-pack',
      'gitlab.com?owner=acme&repo=a/b',
      'gitlab.com?owner=..&repo=a',
      'gitlab.com/x?owner=a&repo=b',
      'user:pw@gitlab.com?owner=a&repo=b',
      'gitlab.com?repo=b',
      'gitlab.com?owner=a&repo=b\n',
    ]) {
      expect(() => parseRepoUrl(bad)).toThrow();
    }
  });
});

describe('GitLab webhook secret', () => {
  it('matches only targets whose secret equals the token', () => {
    const targets = [
      { secret: 'secret-one', value: 'a' },
      { secret: 'secret-two', value: 'b' },
      { secret: undefined, value: 'c' },
      { secret: 'secret-one', value: 'd' },
    ];
    expect(matchingSecrets('secret-one', targets)).toEqual(['a', 'd']);
    expect(matchingSecrets('secret-on', targets)).toEqual([]);
    expect(matchingSecrets('', targets)).toEqual([]);
  });
});

describe('GitLab rate limit', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('7')).toBe(7000);
    expect(retryAfterMs(new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(10_000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});

describe('GitLab group sync entities', () => {
  it('builds the group tree and direct memberships, leaving blocked users out', () => {
    const groups = [
      { id: 1, name: 'ACME', path: 'acme', full_path: 'acme', parent_id: null },
      { id: 2, name: 'Platform', path: 'platform', full_path: 'acme/platform', parent_id: 1, description: 'Platform team' },
    ];
    const member = (id: number, username: string, state = 'active') => ({ id, username, name: username.toUpperCase(), state, email: `${username}@x.org` });
    const entities = buildOrgEntities(
      't',
      groups,
      new Map([
        [1, [member(10, 'alice')]],
        [2, [member(10, 'alice'), member(11, 'bob'), member(12, 'mallory', 'blocked')]],
      ]),
    );
    const byName = Object.fromEntries(entities.map((d) => [`${d.entity.kind}:${d.entity.metadata.name}`, d.entity]));
    expect(Object.keys(byName).sort()).toEqual(['Group:acme', 'Group:acme-platform', 'User:alice', 'User:bob']);
    expect(byName['Group:acme']!.spec).toMatchObject({ type: 'team', children: ['acme-platform'] });
    expect(byName['Group:acme-platform']!.spec).toMatchObject({ parent: 'acme', children: [] });
    expect(byName['User:alice']!.spec).toMatchObject({ memberOf: ['acme', 'acme-platform'], profile: { email: 'alice@x.org' } });
    expect(groupEntityName('a/b.c/d_e')).toBe('a-b.c-d_e');
  });
});
