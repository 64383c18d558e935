import { coreServices, createServiceFactory, definePlugin, searchCollatorsServiceRef, type Caller } from '@atrium/backend-plugin-api';
import { startTestBackend, testDatabaseKinds, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchPlugin, searchServiceRef } from './plugin.js';

// An admin's rebuild request: the builds are claimed (index_state) and the request audited in one
// transaction, against the host's real (durable) audit log. A write is made to fail with a check
// constraint, as a full disk or a dropped connection would: then neither is stored, no build runs.
const admin: Caller = {
  type: 'user',
  userEntityRef: 'user:default/root',
  ownershipEntityRefs: ['user:default/root', 'group:default/admins'],
  displayName: 'Root',
};

describe.each(testDatabaseKinds())('search rebuild requests are audited in the transaction that claims the builds on %s', (database) => {
  let t: TestBackend;
  const collated: Record<string, number> = { alpha: 0, beta: 0 };
  const notes = definePlugin<unknown, { search: typeof searchCollatorsServiceRef }>({
    id: 'notes',
    deps: { search: searchCollatorsServiceRef },
    setup({ deps }) {
      for (const type of ['alpha', 'beta'])
        deps.search.register({
          type,
          version: '1',
          async *collate() {
            collated[type] = (collated[type] ?? 0) + 1;
            yield [{ key: `${type}-1`, title: `${type} one`, text: `the ${type} note`, location: `/notes/${type}/1` }];
          },
        });
    },
  });
  const db = () => t.backend.database.forSchema('search');
  const sql = async (statement: string) => (await db()).raw(statement);
  const state = async (type: string) =>
    (await (await db())('index_state').where({ type }).first('state', 'generation')) as { state: string; generation: string | number } | undefined;
  const audited = async () =>
    (
      (await (await db()).raw(`select actor, target, meta from atrium_host.audit_events where action = 'search.index.rebuild' order by id`)) as {
        rows: Array<{ actor: string; target: string; meta: unknown }>;
      }
    ).rows;
  const rebuild = (types: string[]) => t.json('/api/search/rebuild', { method: 'POST', body: { types } });
  const idle = () => t.backend.service(searchServiceRef).idle();

  beforeAll(async () => {
    t = await startTestBackend({
      plugins: [searchPlugin, notes],
      database,
      services: [createServiceFactory(coreServices.auth, () => ({ getCaller: async () => admin, serviceCaller: () => admin }))],
    });
    await idle();
  }, 90_000);
  afterAll(() => t?.stop());

  it('claims the build and stores the audit record together, naming what was started', async () => {
    const before = await state('alpha');
    const runs = collated['alpha'] ?? 0;
    expect(before?.state).toBe('ready');
    expect((await rebuild(['alpha'])).status).toBe(202);
    await idle();
    expect(collated['alpha']).toBe(runs + 1);
    expect(await state('alpha')).toEqual({ state: 'ready', generation: expect.anything() });
    expect(Number((await state('alpha'))?.generation)).toBe(Number(before?.generation) + 1);
    expect(await audited()).toEqual([
      { actor: 'user:default/root', target: 'alpha', meta: { types: ['alpha'], started: ['alpha'], joined: [], following: [] } },
    ]);
  });

  it('when the audit record cannot be written, nothing is claimed and no build runs', async () => {
    const before = await state('beta');
    const runs = collated['beta'] ?? 0;
    await sql(`alter table atrium_host.audit_events add constraint test_refuse_rebuild check (target is distinct from 'beta') not valid`);
    try {
      expect((await rebuild(['beta'])).status).toBe(500);
    } finally {
      await sql('alter table atrium_host.audit_events drop constraint test_refuse_rebuild');
    }
    await idle();
    expect(collated['beta']).toBe(runs);
    expect(await state('beta')).toEqual(before);
    expect((await audited()).filter((r) => r.target === 'beta')).toEqual([]);
  });

  it('when the claim cannot be written, nothing is audited', async () => {
    const before = await state('beta');
    const runs = collated['beta'] ?? 0;
    await sql(`alter table index_state add constraint test_refuse_claim check (type <> 'beta' or state <> 'building') not valid`);
    try {
      expect((await rebuild(['beta'])).status).toBe(500);
    } finally {
      await sql('alter table index_state drop constraint test_refuse_claim');
    }
    await idle();
    expect(collated['beta']).toBe(runs);
    expect(await state('beta')).toEqual(before);
    expect((await audited()).filter((r) => r.target === 'beta')).toEqual([]);
    // With nothing in the way the same request builds and is recorded.
    expect((await rebuild(['beta'])).status).toBe(202);
    await idle();
    expect(collated['beta']).toBe(runs + 1);
    expect((await audited()).filter((r) => r.target === 'beta')).toHaveLength(1);
  });
});
