import { testDatabaseKinds } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { component, startCatalog, yamlDocs, type CatalogTestkit } from './testing/catalogTestkit.testing.js';

/**
 * An API call that changes something stitches what it queued and answers; it does not drain the
 * shared stitch queue. Entities another piece of work queued (a bulk read still in progress,
 * whose relation targets have not arrived) are left to that work, or to the processing loop,
 * so they are stitched once instead of twice (issue 20).
 */
describe.each(testDatabaseKinds())('stitching what one piece of work queued, on %s', (database) => {
  let kit: CatalogTestkit;
  beforeAll(async () => {
    // The loop ticks at start and then not again within this test: only the API calls stitch.
    kit = await startCatalog(database, { catalog: { processingPollMs: 120_000 } });
  });
  afterAll(async () => kit?.stop());

  it('leaves entities queued by other work in the queue, and stitches its own and their neighbours', async () => {
    const first = await kit.json('/locations', { method: 'POST', body: { type: 'file', target: kit.write('held.yaml', yamlDocs(component('held'))) } });
    expect(first.status).toBe(201);
    const db = await kit.backend.backend.database.forSchema('catalog');
    try {
      // Another read "in progress": it stored a new version of `held` and queued it, not yet stitched.
      const processed = { ...(component('held') as { metadata: object }), metadata: { name: 'held', namespace: 'default', description: 'pending' } };
      await db.raw(`update entities set processed = ?::json where entity_ref = ?`, [JSON.stringify(processed), 'component:default/held']);
      await db.raw(`insert into stitch_queue (entity_ref) values (?) on conflict do nothing`, ['component:default/held']);

      // A second location names a group that `held`'s owner does not match and a component owned by a new group.
      const second = await kit.json('/locations', {
        method: 'POST',
        body: {
          type: 'file',
          target: kit.write(
            'mine.yaml',
            yamlDocs(component('mine', { owner: 'group:default/squad' }), {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Group',
              metadata: { name: 'squad' },
              spec: { type: 'team', children: [] },
            }),
          ),
        },
      });
      expect(second.status).toBe(201);
      const mine = (await kit.json('/entities/by-name/component/default/mine')).body;
      expect(mine.relations).toEqual(expect.arrayContaining([{ type: 'ownedBy', targetRef: 'group:default/squad' }]));
      const squad = (await kit.json('/entities/by-name/group/default/squad')).body;
      expect(squad.relations).toEqual(expect.arrayContaining([{ type: 'ownerOf', targetRef: 'component:default/mine' }]));

      // The other work's entity was not stitched by this call.
      expect((await kit.json('/entities/by-name/component/default/held')).body.metadata.description).toBeUndefined();
      const queued = (await db.raw(`select entity_ref from stitch_queue order by entity_ref`)).rows.map((r: { entity_ref: string }) => r.entity_ref);
      expect(queued).toEqual(['component:default/held']);
    } finally {
      if (database === 'postgres') await db.destroy();
    }
  });
});
