import { describe, expect, it } from 'vitest';
import { example } from './fixtures.testing.js';
import { RELATION_PAIRS, inverseRelationOf } from './relations.js';
import { relationsFromEntity, type GeneratedRelation } from './relationsFromEntity.js';

/** Forward relations only, as `type targetRef`, for compact expectations. */
function outgoing(entity: unknown): string[] {
  const { relations, errors } = relationsFromEntity(entity);
  expect(errors).toEqual([]);
  return relations.filter((r, i) => i % 2 === 0).map((r) => `${r.type} ${r.targetRef}`);
}

describe('relation pairs', () => {
  it('knows every built-in pair in both directions', () => {
    expect(RELATION_PAIRS).toHaveLength(7);
    for (const [a, b] of RELATION_PAIRS) {
      expect(inverseRelationOf(a)).toBe(b);
      expect(inverseRelationOf(b)).toBe(a);
    }
    expect(inverseRelationOf('likes')).toBeUndefined();
  });
});

describe('relationsFromEntity for each built-in kind', () => {
  it('Component', () => {
    expect(outgoing(example('Component'))).toEqual([
      'ownedBy group:default/team-a',
      'partOf system:default/artist-engagement',
      'partOf component:default/artist-portal',
      'providesApi api:default/artist-api',
      'consumesApi api:catalog/search-api',
      'dependsOn resource:default/artists-db',
      'dependencyOf component:default/artist-mobile',
    ]);
  });

  it('API', () => {
    expect(outgoing(example('API'))).toEqual(['ownedBy group:default/team-a', 'partOf system:default/artist-engagement']);
  });

  it('Resource', () => {
    expect(outgoing(example('Resource'))).toEqual([
      'ownedBy group:default/team-a',
      'partOf system:default/artist-engagement',
      'dependsOn resource:default/db-cluster',
      'dependencyOf component:default/artist-web',
    ]);
  });

  it('System and Domain', () => {
    expect(outgoing(example('System'))).toEqual(['ownedBy group:default/team-a', 'partOf domain:default/artists']);
    expect(outgoing(example('Domain'))).toEqual(['ownedBy group:default/team-a', 'partOf domain:default/music']);
  });

  it('Group and User', () => {
    expect(outgoing(example('Group'))).toEqual(['childOf group:default/backstage', 'parentOf group:default/team-a-web', 'hasMember user:default/jdoe']);
    expect(outgoing(example('User'))).toEqual(['memberOf group:default/team-a']);
  });

  it('Template owner, and nothing for Location', () => {
    expect(outgoing(example('Template'))).toEqual(['ownedBy group:default/team-a']);
    expect(relationsFromEntity(example('Location'))).toEqual({ relations: [], errors: [] });
  });
});

describe('relationsFromEntity details', () => {
  it('emits each relation followed by its inverse, which belongs to the target', () => {
    const entity = example('API');
    delete entity.spec.system;
    expect(relationsFromEntity(entity).relations).toEqual<GeneratedRelation[]>([
      { sourceRef: 'api:default/artist-api', type: 'ownedBy', targetRef: 'group:default/team-a' },
      { sourceRef: 'group:default/team-a', type: 'ownerOf', targetRef: 'api:default/artist-api' },
    ]);
  });

  it('defaults target namespace to the entity namespace, lower-cases refs, keeps explicit kinds', () => {
    const entity = example('Component');
    entity.metadata.namespace = 'Music';
    entity.spec = { type: 'service', lifecycle: 'production', owner: 'user:JDoe', providesApis: ['other/Search', 'API:x'] };
    expect(outgoing(entity)).toEqual(['ownedBy user:music/jdoe', 'providesApi api:other/search', 'providesApi api:music/x']);
    expect(relationsFromEntity(entity).relations[0]?.sourceRef).toBe('component:music/artist-web');
  });

  it('reports malformed refs by field path and keeps the good ones', () => {
    const entity = example('Component');
    entity.spec.dependsOn = ['resource:db', 'component:', 'cache', 42];
    entity.spec.owner = '';
    const { relations, errors } = relationsFromEntity(entity);
    expect(errors).toEqual([
      { path: 'spec.owner', message: expect.stringMatching(/^spec\.owner is not a valid entity ref: Entity ref must not be empty/) },
      {
        path: 'spec.dependsOn[1]',
        message: expect.stringMatching(/^spec\.dependsOn\[1\] is not a valid entity ref: Entity ref "component:" has an empty name/),
      },
      {
        path: 'spec.dependsOn[2]',
        message:
          'spec.dependsOn[2] is not a valid entity ref: Entity ref "cache" has no kind and none can be assumed here; write it with a kind, e.g. "component:cache"',
      },
      { path: 'spec.dependsOn[3]', message: expect.stringMatching(/^spec\.dependsOn\[3\] is not a valid entity ref: Entity ref must be a string/) },
    ]);
    expect(relations.map((r) => `${r.sourceRef} ${r.type} ${r.targetRef}`)).toContain('component:default/artist-web dependsOn resource:default/db');
  });

  it('accepts a single ref where Backstage expects an array, and the object form', () => {
    const entity = example('User');
    entity.spec.memberOf = 'team-b';
    expect(outgoing(entity)).toEqual(['memberOf group:default/team-b']);
    entity.spec.memberOf = [{ kind: 'Group', namespace: 'ops', name: 'Oncall' }];
    expect(outgoing(entity)).toEqual(['memberOf group:ops/oncall']);
  });

  it('drops duplicate relations', () => {
    const entity = example('Group');
    entity.spec.children = ['a', 'group:a', 'Group:default/A'];
    entity.spec.members = [];
    delete entity.spec.parent;
    expect(relationsFromEntity(entity).relations).toHaveLength(2);
  });

  it('produces nothing for unknown kinds, missing spec or non-objects, and never throws', () => {
    expect(relationsFromEntity({ ...example('Component'), kind: 'Widget' })).toEqual({ relations: [], errors: [] });
    expect(relationsFromEntity({ ...example('Component'), spec: undefined })).toEqual({ relations: [], errors: [] });
    expect(relationsFromEntity('x')).toEqual({ relations: [], errors: [] });
    expect(relationsFromEntity({ kind: 7 })).toEqual({ relations: [], errors: [] });
  });

  it('needs a name to relate from', () => {
    const entity = example('System');
    entity.metadata = {};
    expect(relationsFromEntity(entity).errors.map((e) => e.path)).toEqual(['metadata.name']);
  });

  it('matches by kind even for an unlisted apiVersion, as Backstage processors do', () => {
    expect(outgoing({ ...example('System'), apiVersion: 'backstage.io/v1' })).toHaveLength(2);
  });
});
