import { testDatabaseKinds } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocsEntityDetail, DocsEntityList, DocsOwnerList, DocsSearchResponse } from '../common/index.js';
import { startTechdocs, type TechdocsTestkit } from './testing/techdocsTestkit.testing.js';

// Ownership-aware, like a production policy that keeps teams' entities to themselves:
// admins do everything, owners read and rebuild their entities, everyone signed in reads the
// `public` ones.
const POLICY = {
  roles: { admin: { members: ['group:default/admins'] } },
  rules: [
    { id: 'admins', effect: 'allow', permissions: ['*'], roles: ['admin'] },
    { id: 'owners', effect: 'allow', permissions: ['catalog.entity.read', 'techdocs.build'], conditions: { isEntityOwner: true } },
    { id: 'public', effect: 'allow', permissions: ['catalog.entity.read'], conditions: { hasTag: 'public' } },
  ],
};

const component = (name: string, owner: string, tags: string[] = []) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  tags: ${JSON.stringify(tags)}
  annotations:
    backstage.io/techdocs-ref: "dir:${name}"
spec:
  type: service
  lifecycle: production
  owner: ${owner}
`;
const org = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-a }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-b }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: admins }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: jdoe }
spec: { memberOf: [team-a] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: nobody }
spec: { memberOf: [] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: root }
spec: { memberOf: [admins] }
`;

describe.each(testDatabaseKinds())('TechDocs under an ownership policy: nothing of a hidden entity leaks (%s)', (database) => {
  let kit: TechdocsTestkit;
  const as: Record<string, Record<string, string>> = {};
  const api = <T>(who: string, p: string, init: { method?: string; body?: unknown } = {}) =>
    kit.backend.json<T>(`/api/techdocs${p}`, { ...init, headers: as[who] ?? {} });

  beforeAll(async () => {
    kit = await startTechdocs(database, {
      files: {
        'catalog-info.yaml': [org, component('mine', 'team-a'), component('secret', 'team-b'), component('shared', 'team-b', ['public'])].join('---\n'),
        'mine/docs/index.md': '# Mine\n\nzebrafish handbook for team a\n',
        'secret/docs/index.md': '# Secret\n\nzebrafish plans of team b\n',
        'shared/docs/index.md': '# Shared\n\nzebrafish guide for everyone\n',
      },
      config: { permission: { policy: POLICY } },
    });
    for (const name of ['jdoe', 'nobody', 'root'])
      as[name] = { cookie: `atrium_session=${(await kit.backend.backend.auth.sessions.create(`user:default/${name}`)).secret}` };
    await kit.waitFor(async () => {
      const r = await api<DocsEntityList>('root', '/entities');
      return r.status === 200 && r.body.items.length === 3 && r.body.items.every((i) => i.build.status === 'ready');
    }, 90_000);
  }, 120_000);
  afterAll(async () => {
    await kit?.stop();
  });

  it('the docs list, its total and the owner counts hold only what the caller may read', async () => {
    const names = (l: DocsEntityList) => l.items.map((i) => i.name).sort();
    const jdoe = await api<DocsEntityList>('jdoe', '/entities');
    expect(names(jdoe.body)).toEqual(['mine', 'shared']);
    expect(jdoe.body.totalItems).toBe(2);
    const nobody = await api<DocsEntityList>('nobody', '/entities?q=sh');
    expect(names(nobody.body)).toEqual(['shared']);
    expect(nobody.body.totalItems).toBe(1);
    expect((await api<DocsEntityList>('nobody', '/entities?owner=group:default/team-b')).body.totalItems).toBe(1);
    expect((await api<DocsOwnerList>('jdoe', '/owners')).body.items).toEqual([
      { owner: 'group:default/team-a', count: 1 },
      { owner: 'group:default/team-b', count: 1 },
    ]);
    expect((await api<DocsOwnerList>('root', '/owners')).body.items).toEqual([
      { owner: 'group:default/team-a', count: 1 },
      { owner: 'group:default/team-b', count: 2 },
    ]);
  });

  it('search finds only sections of readable entities; naming a hidden entity finds nothing, like one without docs', async () => {
    const refs = (r: DocsSearchResponse) => [...new Set(r.results.map((x) => x.entityRef))].sort();
    expect(refs((await api<DocsSearchResponse>('root', '/search?term=zebrafish')).body)).toEqual([
      'component:default/mine',
      'component:default/secret',
      'component:default/shared',
    ]);
    expect(refs((await api<DocsSearchResponse>('nobody', '/search?term=zebrafish')).body)).toEqual(['component:default/shared']);
    expect(refs((await api<DocsSearchResponse>('jdoe', '/search?term=zebrafish')).body)).toEqual(['component:default/mine', 'component:default/shared']);
    const hidden = await api<DocsSearchResponse>('jdoe', '/search?term=zebrafish&entity=component:default/secret');
    const missing = await api<DocsSearchResponse>('jdoe', '/search?term=zebrafish&entity=component:default/nope');
    expect([hidden.status, hidden.body.results]).toEqual([200, []]);
    expect([missing.status, missing.body.results]).toEqual([200, []]);
  });

  it("a hidden entity's pages, site, files, metadata, status and rebuild answer 404 exactly like a missing entity's", async () => {
    const paths = (name: string) => [
      `/sites/default/component/${name}`,
      `/sites/default/component/${name}/page?route=`,
      `/static/docs/default/component/${name}/img/a.png`,
      `/metadata/techdocs/default/component/${name}`,
      `/entities/default/component/${name}`,
    ];
    const hidden = paths('secret');
    const missing = paths('nope');
    for (let i = 0; i < hidden.length; i++) {
      const h = await api<{ error: { message: string } }>('jdoe', hidden[i]!);
      const m = await api<{ error: { message: string } }>('jdoe', missing[i]!);
      expect([hidden[i], h.status]).toEqual([hidden[i], 404]);
      expect(m.status).toBe(404);
      expect(h.body.error.message.replace('secret', 'X')).toBe(m.body.error.message.replace('nope', 'X'));
    }
    // The owner and an administrator are served.
    expect((await api('jdoe', '/sites/default/component/mine')).status).toBe(200);
    expect((await api<DocsEntityDetail>('root', '/entities/default/component/secret')).status).toBe(200);
    // Rebuild: hidden → 404 like missing; readable but not owned → 403; owned → 202.
    const build = (who: string, name: string) => api<{ error?: { message: string } }>(who, `/builds/default/component/${name}`, { method: 'POST', body: {} });
    const hb = await build('jdoe', 'secret');
    const mb = await build('jdoe', 'nope');
    expect([hb.status, mb.status]).toEqual([404, 404]);
    expect(hb.body.error?.message.replace('secret', 'X')).toBe(mb.body.error?.message.replace('nope', 'X'));
    expect((await build('jdoe', 'shared')).status).toBe(403);
    expect((await build('jdoe', 'mine')).status).toBe(202);
    // The guest has no read rule at all: 403 everywhere, hidden or not.
    expect((await api('guest', '/sites/default/component/secret')).status).toBe(403);
    expect((await api('guest', '/sites/default/component/nope')).status).toBe(403);
  });
});
