import { CatalogClient } from '@backstage/catalog-client';
import { testDatabaseKinds } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { component, startCatalog, yamlDocs, type CatalogTestkit } from './testing/catalogTestkit.testing.js';

/**
 * Backstage's client given an Atrium API token (`{ token }` on each call, as Backstage's own
 * callers pass theirs), against a catalog where guest sign-in is off: the token is what lets it in.
 */
describe.each(testDatabaseKinds())('@backstage/catalog-client with an API token on %s', (database) => {
  let kit: CatalogTestkit;
  let client: CatalogClient;
  let token: string;

  beforeAll(async () => {
    kit = await startCatalog(database, {
      files: { 'catalog-info.yaml': yamlDocs(component('alpha'), component('beta')) },
      catalog: { locations: [{ type: 'file', target: './catalog-info.yaml' }] },
      auth: { providers: { guest: { enabled: false } } },
    });
    const created = await kit.backend.backend.auth.tokens.create({
      name: 'ci',
      kind: 'personal',
      ownerRef: 'user:default/ci-bot',
      createdBy: 'user:default/ci-bot',
      scopes: ['read'],
      expiresAt: new Date(Date.now() + 24 * 3600_000),
    });
    token = created.secret;
    client = new CatalogClient({ discoveryApi: { getBaseUrl: async () => `${kit.backend.url}/api/catalog` } });
    await kit.waitFor(async () => (await client.getEntities({ filter: { kind: 'Component' } }, { token })).items.length === 2);
  });
  afterAll(async () => kit?.stop());

  it('reads with the token and is refused (401) without it', async () => {
    const withToken = await client.getEntities({ filter: { kind: 'Component' }, fields: ['metadata.name'] }, { token });
    expect(withToken.items.map((e) => e.metadata.name).sort()).toEqual(['alpha', 'beta']);
    expect((await client.getEntityByRef('component:default/alpha', { token }))?.metadata.name).toBe('alpha');
    await expect(client.getEntities({ filter: { kind: 'Component' } })).rejects.toMatchObject({ name: 'ResponseError', response: { status: 401 } });
  });

  it('is refused (403, not 401) a change its read-only scope does not cover', async () => {
    await expect(client.refreshEntity('component:default/alpha', { token })).rejects.toMatchObject({ name: 'ResponseError', response: { status: 403 } });
  });
});
