import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConflictError, coreServices, createServiceFactory, definePlugin, InputError, NotAllowedError } from '@atrium/backend-plugin-api';
import type { Entity } from '@atrium/catalog-model';
// Only the catalog's public entry point, as a third-party plugin would import it.
import {
  catalogPlugin,
  catalogServiceRef,
  type CatalogService,
  type DeferredEntity,
  type EntityChange,
  type EntityProviderConnection,
} from '@atrium/plugin-catalog/backend';
import { createTestPostgresDatabase, startTestBackend, testDatabaseKinds, waitFor, type TestBackend, type TestDatabaseKind } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const user = (name: string, memberOf: string[] = [], extra: Record<string, unknown> = {}): DeferredEntity => ({
  entity: { apiVersion: 'backstage.io/v1alpha1', kind: 'User', metadata: { name, ...extra }, spec: { memberOf } },
  locationKey: `directory:user/${name}`,
});
const group = (name: string): DeferredEntity => ({
  entity: { apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name }, spec: { type: 'team', children: [] } },
  locationKey: `directory:group/${name}`,
});
const component = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
});

/**
 * A third-party plugin: it knows the catalog only through `@atrium/plugin-catalog/backend`
 * (catalogServiceRef) and `definePlugin`, registers a provider in its setup and pushes its
 * directory on connect. The test drives later mutations through the connection it was given.
 */
function directoryPlugin(name: string, initial: DeferredEntity[] | undefined, onConnect: (c: EntityProviderConnection) => void) {
  return definePlugin({
    id: `directory-${name}`,
    deps: { catalog: catalogServiceRef },
    async setup({ deps }) {
      await deps.catalog.registerEntityProvider({
        name,
        async connect(connection) {
          onConnect(connection);
          if (initial) await connection.applyMutation({ type: 'full', entities: initial });
        },
      });
    },
  });
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-providers-'));
}

async function start(
  database: TestDatabaseKind,
  options: { plugins?: ReturnType<typeof directoryPlugin>[]; dir?: string; extraConfig?: Record<string, unknown>; postgresUrl?: string; deny?: string[] } = {},
) {
  const dir = options.dir ?? tempDir();
  return startTestBackend({
    database,
    plugins: [catalogPlugin, ...(options.plugins ?? [])],
    configDir: dir,
    ...(options.postgresUrl ? { postgresUrl: options.postgresUrl } : {}),
    ...(options.deny
      ? {
          services: [
            createServiceFactory(coreServices.permissions, () => ({
              authorize: async (_c: unknown, r: { permission: string }) => ({
                result: options.deny!.includes(r.permission) ? ('DENY' as const) : ('ALLOW' as const),
              }),
              authorizeMany: async () => [],
              queryConditions: async () => ({ result: 'all' as const }),
              assert: async (c: { type?: string; userEntityRef?: string }, r: { permission: string }) => {
                if (options.deny!.includes(r.permission)) throw new NotAllowedError(`caller may not ${r.permission}`);
              },
            })),
          ],
        }
      : {}),
    config: { catalog: { processingPollMs: 100, readers: { fileRoots: [dir] } }, ...(options.extraConfig ?? {}) },
  });
}

describe.each(testDatabaseKinds())('catalog entity providers on %s', (database) => {
  let backend: TestBackend;
  let catalog: CatalogService;
  let directory: EntityProviderConnection;
  let other: EntityProviderConnection;
  let dir: string;
  const changes: EntityChange[] = [];

  beforeAll(async () => {
    dir = tempDir();
    fs.writeFileSync(path.join(dir, 'owned.yaml'), JSON.stringify(component('location-owned')));
    backend = await start(database, {
      dir,
      plugins: [
        directoryPlugin('directory', [group('team-a'), user('alice', ['team-a']), user('bob', ['team-a'])], (c) => (directory = c)),
        directoryPlugin('other-directory', undefined, (c) => (other = c)),
      ],
      extraConfig: { catalog: { processingPollMs: 100, readers: { fileRoots: [dir] }, locations: [{ type: 'file', target: './owned.yaml' }] } },
    });
    catalog = backend.backend.service(catalogServiceRef);
    catalog.onEntityChange((c) => void changes.push(c));
    await waitFor(async () => expect(await catalog.getEntityByRef('component:default/location-owned')).toBeDefined(), { timeoutMs: 20_000 });
  });
  afterAll(async () => backend?.stop());

  it('stores what a third-party plugin pushes on connect, with relations stitched both ways', async () => {
    const alice = await catalog.getEntityByRef('user:default/alice');
    expect(alice?.relations).toContainEqual({ type: 'memberOf', targetRef: 'group:default/team-a' });
    const team = await catalog.getEntityByRef('group:default/team-a');
    expect(team?.relations).toEqual(
      expect.arrayContaining([
        { type: 'hasMember', targetRef: 'user:default/alice' },
        { type: 'hasMember', targetRef: 'user:default/bob' },
      ]),
    );
    const status = await catalog.getEntityProviderStatus('directory');
    expect(status).toMatchObject({ name: 'directory', connected: true, lastMutationType: 'full', entityCount: 3, errors: [] });
    expect(status?.lastMutationAt).toEqual(expect.any(String));
  });

  it('applies deltas and full mutations: adds, updates and removes only what the provider owns, and announces each change', async () => {
    changes.length = 0;
    const delta = await directory.applyMutation({ type: 'delta', added: [user('carol', ['team-a'])], removed: [{ entityRef: 'user:bob' }] });
    expect(delta).toMatchObject({ written: 1, removed: ['user:default/bob'], errors: [] });
    expect(await catalog.getEntityByRef('user:default/carol')).toBeDefined();
    expect(await catalog.getEntityByRef('user:default/bob')).toBeUndefined();
    await waitFor(() => {
      expect(changes).toContainEqual(expect.objectContaining({ type: 'upserted', entityRef: 'user:default/carol' }));
      expect(changes).toContainEqual({ type: 'removed', entityRef: 'user:default/bob' });
      // team-a's hasMember relations changed, so it is restitched and announced too.
      expect(changes).toContainEqual(expect.objectContaining({ type: 'upserted', entityRef: 'group:default/team-a' }));
    });

    changes.length = 0;
    const full = await directory.applyMutation({ type: 'full', entities: [group('team-a'), user('alice', ['team-a'], { title: 'Alice A.' })] });
    expect(full.removed).toEqual(['user:default/carol']);
    expect(full.written).toBe(1); // team-a unchanged, alice changed
    expect((await catalog.getEntityByRef('user:default/alice'))?.metadata.title).toBe('Alice A.');
    expect(await catalog.getEntityByRef('user:default/carol')).toBeUndefined();
    expect(await catalog.getEntityByRef('component:default/location-owned')).toBeDefined();
    await waitFor(() => expect(changes).toContainEqual({ type: 'removed', entityRef: 'user:default/carol' }));
    expect((await catalog.getEntityProviderStatus('directory'))?.entityCount).toBe(2);
  });

  it('refuses to take or remove an entity a location owns, saying which provider and which location', async () => {
    const taken = await directory.applyMutation({
      type: 'delta',
      added: [{ entity: { ...component('location-owned'), spec: { ...component('x').spec, type: 'website' } } }],
      removed: [],
    });
    expect(taken.written).toBe(0);
    expect(taken.errors).toEqual([
      expect.objectContaining({
        kind: 'conflict',
        entityRef: 'component:default/location-owned',
        message: expect.stringMatching(/entity provider directory.*owned\.yaml/),
      }),
    ]);
    expect((await catalog.getEntityByRef('component:default/location-owned'))?.spec?.['type']).toBe('service');
    expect((await catalog.getEntityProviderStatus('directory'))?.errors).toEqual(taken.errors);

    const removed = await directory.applyMutation({ type: 'delta', added: [], removed: [{ entityRef: 'component:default/location-owned' }] });
    expect(removed.removed).toEqual([]);
    expect(removed.errors[0]?.message).toMatch(/directory cannot remove component:default\/location-owned/);
    expect(await catalog.getEntityByRef('component:default/location-owned')).toBeDefined();
  });

  it('keeps one provider from taking or removing the entities of another, and a location from taking a provider entity', async () => {
    const result = await other.applyMutation({ type: 'full', entities: [user('alice'), user('dave')] });
    expect(result.errors).toEqual([
      expect.objectContaining({
        kind: 'conflict',
        entityRef: 'user:default/alice',
        message: expect.stringMatching(/other-directory.*entity provider directory/),
      }),
    ]);
    expect((await catalog.getEntityByRef('user:default/alice'))?.metadata.title).toBe('Alice A.');
    expect(await catalog.getEntityByRef('user:default/dave')).toBeDefined();
    // A full mutation without alice does not remove directory's alice.
    await other.applyMutation({ type: 'full', entities: [] });
    expect(await catalog.getEntityByRef('user:default/alice')).toBeDefined();
    expect(await catalog.getEntityByRef('user:default/dave')).toBeUndefined();

    fs.writeFileSync(
      path.join(dir, 'steal.yaml'),
      JSON.stringify({ apiVersion: 'backstage.io/v1alpha1', kind: 'User', metadata: { name: 'alice', title: 'Stolen' }, spec: { memberOf: [] } }),
    );
    const { location } = await catalog.addLocation({ type: 'file', target: path.join(dir, 'steal.yaml') });
    const read = await catalog.waitForLocationRead(location.id, { timeoutMs: 20_000 });
    expect(read.status.errors).toContainEqual(
      expect.objectContaining({ kind: 'conflict', entityRef: 'user:default/alice', message: expect.stringMatching(/entity provider directory/) }),
    );
    expect((await catalog.getEntityByRef('user:default/alice'))?.metadata.title).toBe('Alice A.');
    await catalog.removeLocation(location.id);
    expect(await catalog.getEntityByRef('user:default/alice')).toBeDefined();
  });

  it('fails an invalid entity alone, with its error on the provider status; a stored one keeps its last good version', async () => {
    const bad: DeferredEntity = {
      entity: { apiVersion: 'backstage.io/v1alpha1', kind: 'User', metadata: { name: 'not a valid name!' }, spec: { memberOf: [] } },
      locationKey: 'directory:user/broken',
    };
    const badAlice: DeferredEntity = {
      entity: { apiVersion: 'backstage.io/v1alpha1', kind: 'User', metadata: { name: 'alice' }, spec: { memberOf: 'team-a' } },
      locationKey: 'directory:user/alice',
    };
    const result = await directory.applyMutation({ type: 'full', entities: [group('team-a'), bad, badAlice, user('erin', ['team-a'])] });
    expect(result.written).toBe(1);
    expect(result.removed).toEqual([]);
    expect(result.errors).toEqual([
      expect.objectContaining({
        kind: 'validation',
        file: 'directory:user/broken',
        field: 'metadata.name',
        message: expect.stringMatching(/^Entity provider directory: /),
      }),
      expect.objectContaining({ entityRef: 'user:default/alice', field: 'spec.memberOf' }),
    ]);
    expect(await catalog.getEntityByRef('user:default/erin')).toBeDefined();
    const alice = await catalog.getEntityByRef('user:default/alice');
    expect(alice?.metadata.title).toBe('Alice A.');
    expect(alice?.status?.items?.[0]?.message).toMatch(/spec\.memberOf/);
    const res = await backend.json<{ items: Array<{ name: string; errors: unknown[]; entityCount: number; connected: boolean }> }>('/api/catalog/providers');
    expect(res.status).toBe(200);
    const listed = res.body.items.find((p) => p.name === 'directory');
    expect(listed).toMatchObject({ connected: true, entityCount: 3 });
    expect(listed?.errors).toHaveLength(2);
    // Fixed: the error goes away from the entity and the status.
    const fixed = await directory.applyMutation({
      type: 'full',
      entities: [group('team-a'), user('alice', ['team-a'], { title: 'Alice A.' }), user('erin', ['team-a'])],
    });
    expect(fixed.errors).toEqual([]);
    expect((await catalog.getEntityByRef('user:default/alice'))?.status).toBeUndefined();
    expect((await catalog.getEntityProviderStatus('directory'))?.errors).toEqual([]);
  });

  it('keeps the first of two definitions of one entity in a mutation, and removes by entity as well as by ref', async () => {
    const twice = await directory.applyMutation({ type: 'delta', added: [user('frank'), user('frank', [], { title: 'Second' })], removed: [] });
    expect(twice.errors).toEqual([expect.objectContaining({ kind: 'duplicate', entityRef: 'user:default/frank' })]);
    expect((await catalog.getEntityByRef('user:default/frank'))?.metadata.title).toBeUndefined();
    const gone = await directory.applyMutation({ type: 'delta', added: [], removed: [user('frank'), { entityRef: 'user:default/nobody' }] });
    expect(gone).toEqual({ written: 0, removed: ['user:default/frank'], errors: [] });
    expect(await catalog.getEntityByRef('user:default/frank')).toBeUndefined();
  });

  it('re-stitches by location key on refresh', async () => {
    const before = await catalog.getEntityByRef('user:default/erin');
    await directory.refresh({ keys: ['directory:user/erin'] });
    expect((await catalog.getEntityByRef('user:default/erin'))?.metadata.etag).toBe(before?.metadata.etag);
  });

  it('refuses a second provider by the same name, a bad name and a malformed mutation, changing nothing', async () => {
    const noop = { async connect() {} };
    await expect(catalog.registerEntityProvider({ name: 'directory', ...noop })).rejects.toBeInstanceOf(ConflictError);
    await expect(catalog.registerEntityProvider({ name: '../etc', ...noop })).rejects.toBeInstanceOf(InputError);
    const count = (await catalog.getEntityProviderStatus('directory'))?.mutationCount;
    await expect(directory.applyMutation({ type: 'full' } as never)).rejects.toThrow(/Entity provider directory applied an invalid mutation/);
    await expect(directory.applyMutation({ type: 'replace', entities: [] } as never)).rejects.toBeInstanceOf(InputError);
    expect((await catalog.getEntityProviderStatus('directory'))?.mutationCount).toBe(count);
    expect(await catalog.getEntityByRef('user:default/alice')).toBeDefined();
  });
});

describe.each(testDatabaseKinds())('entity providers across a restart on %s', (database) => {
  it("keeps a provider's entities, and the next full mutation removes what it no longer yields", async () => {
    const home = tempDir();
    const pg = database === 'postgres' ? await createTestPostgresDatabase() : undefined;
    const extraConfig =
      database === 'pglite' ? { backend: { dataDir: path.join(home, 'data'), database: { client: 'pglite', connection: path.join(home, 'pg') } } } : {};
    const opts = { dir: home, extraConfig, ...(pg ? { postgresUrl: pg.url } : {}) };
    try {
      const first = await start(database, {
        ...opts,
        plugins: [directoryPlugin('directory', [group('team-a'), user('alice', ['team-a']), user('bob', ['team-a'])], () => {})],
      });
      await first.stop();

      let connection: EntityProviderConnection | undefined;
      const second = await start(database, { ...opts, plugins: [directoryPlugin('directory', undefined, (c) => (connection = c))] });
      try {
        const catalog = second.backend.service(catalogServiceRef);
        expect((await catalog.getEntityByRef('user:default/bob'))?.relations).toContainEqual({ type: 'memberOf', targetRef: 'group:default/team-a' });
        expect(await catalog.getEntityProviderStatus('directory')).toMatchObject({ connected: true, mutationCount: 1, entityCount: 3 });
        const result = await connection!.applyMutation({ type: 'full', entities: [group('team-a'), user('alice', ['team-a'])] });
        expect(result.removed).toEqual(['user:default/bob']);
        expect(await catalog.getEntityByRef('user:default/bob')).toBeUndefined();
        const team = await catalog.getEntityByRef('group:default/team-a');
        expect(team?.relations).toEqual([{ type: 'hasMember', targetRef: 'user:default/alice' }]);
      } finally {
        await second.stop();
      }
    } finally {
      await pg?.drop();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('GET /api/catalog/providers permission', () => {
  it('is refused with 403 when the policy denies catalog.provider.read', async () => {
    const backend = await start('pglite', { deny: ['catalog.provider.read'] });
    try {
      const res = await backend.json('/api/catalog/providers');
      expect(res.status).toBe(403);
    } finally {
      await backend.stop();
    }
  });
});

export type { Entity };
