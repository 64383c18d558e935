import { describe, expect, it } from 'vitest';
import { example } from './fixtures.testing.js';
import { createEntityValidator } from './validator.js';

const validator = createEntityValidator();

function withMetadata(metadata: Record<string, unknown>) {
  const entity = example('Component');
  Object.assign(entity.metadata, metadata);
  return entity;
}

describe('envelope', () => {
  it.each([
    [null, 'null'],
    [[], 'an array'],
    ['component:foo', 'a string ("component:foo")'],
    [7, 'a number (7)'],
  ])('rejects %j as an entity', (value, what) => {
    expect(validator.validate(value)).toEqual({
      ok: false,
      errors: [{ path: '', message: `An entity must be a JSON object, but this is ${what}` }],
    });
  });

  it('requires apiVersion, kind and metadata.name', () => {
    expect(validator.validate({}).errors).toEqual([
      { path: 'apiVersion', message: 'apiVersion is required' },
      { path: 'kind', message: 'kind is required' },
      { path: 'metadata', message: 'metadata is required' },
    ]);
    expect(validator.validate({ ...example('Component'), metadata: {} }).errors).toEqual([{ path: 'metadata.name', message: 'metadata.name is required' }]);
  });

  it('rejects unknown root fields', () => {
    const entity = { ...example('Resource'), dependsOn: ['component:x'] };
    expect(validator.validate(entity).errors).toEqual([
      {
        path: 'dependsOn',
        message:
          'Unknown root field "dependsOn": an entity may only have apiVersion, kind, metadata, spec, relations, status at its root (should it be under spec or metadata?)',
      },
    ]);
  });

  it('accepts relations and status on stored entities, but not in descriptors when asked', () => {
    const entity = {
      ...example('Component'),
      relations: [{ type: 'ownedBy', targetRef: 'group:default/team-a' }],
      status: { items: [{ type: 'backstage.io/catalog-processing', level: 'error', message: 'InputError: bad' }] },
    };
    expect(validator.validate(entity).ok).toBe(true);
    expect(validator.validate(entity, { rejectOutputFields: true }).errors).toEqual([
      { path: 'relations', message: 'relations is produced by the catalog and must not be set in a descriptor' },
      { path: 'status', message: 'status is produced by the catalog and must not be set in a descriptor' },
    ]);
  });

  it('checks the shape of relations and status', () => {
    const entity = {
      ...example('Component'),
      relations: [{ type: 'owned by', targetRef: 'group:default/a' }, { type: 'ownedBy' }],
      status: { items: [{ type: 'x', level: 'fatal', message: 'm' }] },
    };
    expect(validator.validate(entity).errors.map((e) => e.path)).toEqual(['relations[0].type', 'relations[1].targetRef', 'status.items[0].level']);
  });

  it('reports type errors in metadata once, without a second format error', () => {
    const entity = withMetadata({ name: 7, labels: ['a'], annotations: { a: 1 }, tags: 'java', links: [{ title: 'x' }] });
    expect(validator.validate(entity).errors).toEqual([
      { path: 'metadata.name', message: 'metadata.name must be a string, but is a number (7)' },
      { path: 'metadata.labels', message: 'metadata.labels must be an object, but is an array' },
      { path: 'metadata.annotations.a', message: 'metadata.annotations.a must be a string, but is a number (1)' },
      { path: 'metadata.tags', message: 'metadata.tags must be an array, but is a string ("java")' },
      { path: 'metadata.links[0].url', message: 'metadata.links[0].url is required' },
    ]);
  });

  it('reports every problem at once, envelope, metadata and spec', () => {
    const entity = example('Component');
    entity.metadata.name = 'Bad Name';
    entity.metadata.tags = ['Java'];
    delete entity.spec.owner;
    entity.spec.dependsOn = ['artists-db'];
    expect(validator.validate(entity).errors.map((e) => e.path)).toEqual(['metadata.name', 'metadata.tags[0]', 'spec.owner', 'spec.dependsOn[0]']);
  });
});

describe('metadata rules through validate', () => {
  it.each([
    [{ name: 'a'.repeat(63) }, []],
    [{ name: 'a'.repeat(64) }, ['metadata.name']],
    [{ name: '' }, ['metadata.name']],
    [{ namespace: 'team-a' }, []],
    [{ namespace: 'Team-A' }, ['metadata.namespace']],
    [{ namespace: '' }, ['metadata.namespace']],
    [{ title: '' }, ['metadata.title']],
    [{ title: 'Any title: with / anything!' }, []],
    [{ description: 3 }, ['metadata.description']],
    [{ labels: { 'example.com/tier': 'gold', empty: '' } }, []],
    [{ labels: { 'a/b/c': 'x' } }, ['metadata.labels["a/b/c"]']],
    [{ labels: { tier: 'two words' } }, ['metadata.labels.tier']],
    [{ annotations: { 'backstage.io/techdocs-ref': 'dir:.', 'example.com/notes': 'free text, any length' } }, []],
    [{ annotations: { 'Backstage.io/x': 'y' } }, ['metadata.annotations["Backstage.io/x"]']],
    [{ tags: ['java', 'c++', 'a'.repeat(63)] }, []],
    [{ tags: ['ok', 'a'.repeat(64)] }, ['metadata.tags[1]']],
    [{ links: [{ url: 'https://example.com', title: 'Docs', icon: 'docs', type: 'website' }] }, []],
    [{ links: [{ url: 'not a url' }] }, ['metadata.links[0].url']],
    [{ links: [{ url: 'https://example.com', title: '  ' }] }, ['metadata.links[0].title']],
    [{ links: [{ url: 'https://example.com', icon: '' }] }, ['metadata.links[0].icon']],
    [{ links: [{ url: 'https://example.com', type: '' }] }, ['metadata.links[0].type']],
    [{ uid: '' }, ['metadata.uid']],
    [{ etag: 'abc', uid: '9f1c', anythingElse: { nested: true } }, []],
  ])('%j → %j', (metadata, paths) => {
    expect(validator.validate(withMetadata(metadata)).errors.map((e) => e.path)).toEqual(paths);
  });

  it('names the field, the value and the rule', () => {
    expect(validator.validate(withMetadata({ name: 'Custom MS SQL Docker' })).errors).toEqual([
      {
        path: 'metadata.name',
        message:
          'metadata.name "Custom MS SQL Docker" is not valid: it must be sequences of [a-zA-Z0-9] separated by any of "-", "_" and ".", starting and ending with a letter or digit',
      },
    ]);
    expect(validator.validate(withMetadata({ labels: { 'a/b/c': 'x' } })).errors[0]?.message).toBe(
      'metadata.labels key "a/b/c" is not valid: it must contain at most one "/" (an optional prefix, then a name)',
    );
    expect(validator.validate(withMetadata({ labels: { tier: 'two words' } })).errors[0]?.message).toMatch(
      /^metadata\.labels\.tier value "two words" is not valid: it must be sequences/,
    );
  });
});

describe('kind and apiVersion', () => {
  it('rejects a badly formed kind and apiVersion', () => {
    expect(validator.validate({ ...example('Component'), kind: 'Enonic app' }).errors).toEqual([
      {
        path: 'kind',
        message: 'kind "Enonic app" is not valid: it must be a letter followed by letters and digits only, e.g. "Component"',
      },
    ]);
    expect(validator.validate({ ...example('Component'), apiVersion: 'backstage.io/v1/x' }).errors.map((e) => e.path)).toEqual(['apiVersion']);
  });

  it('rejects unknown kinds, and hints at the right case', () => {
    expect(validator.validate({ ...example('Component'), kind: 'component' }).errors).toEqual([
      { path: 'kind', message: 'kind "component" is not known; kinds are case-sensitive, did you mean "Component"?' },
    ]);
    expect(validator.validate({ ...example('Component'), kind: 'Widget' }).errors[0]?.message).toBe(
      'kind "Widget" is not known (known kinds: Component, API, Resource, System, Domain, Group, User, Location, Template); declare it as a custom kind to use it',
    );
  });

  it('kindOf finds the governing definition', () => {
    expect(validator.kindOf(example('Group'))?.kind).toBe('Group');
    expect(validator.kindOf({ ...example('Group'), apiVersion: 'example.com/v1' })).toBeUndefined();
    expect(validator.kindOf('nope')).toBeUndefined();
    expect(validator.kinds.map((k) => k.kind)).toContain('Template');
  });
});

describe('relations through the validator', () => {
  it('reports malformed refs as validation errors and returns relations', () => {
    const entity = example('Component');
    entity.spec.dependsOn = ['resource:db', 'db'];
    expect(validator.validate(entity).errors).toEqual([
      {
        path: 'spec.dependsOn[1]',
        message:
          'spec.dependsOn[1] is not a valid entity ref: Entity ref "db" has no kind and none can be assumed here; write it with a kind, e.g. "component:db"',
      },
    ]);
    expect(validator.relations(entity).relations).toContainEqual({
      sourceRef: 'component:default/artist-web',
      type: 'dependsOn',
      targetRef: 'resource:default/db',
    });
    expect(validator.relations(null)).toEqual({ relations: [], errors: [] });
  });

  it('relates by kind even when the apiVersion is not one the kind lists', () => {
    const entity = { ...example('User'), apiVersion: 'backstage.io/v1' };
    expect(validator.validate(entity).ok).toBe(false);
    expect(validator.relations(entity).relations[0]).toEqual({
      sourceRef: 'user:default/jdoe',
      type: 'memberOf',
      targetRef: 'group:default/team-a',
    });
  });
});
