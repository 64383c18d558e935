import { describe, expect, it } from 'vitest';
import { compareEntityRefs, getCompoundEntityRef, InvalidEntityRefError, normalizeEntityRef, parseEntityRef, stringifyEntityRef } from './refs.js';

describe('parseEntityRef', () => {
  it.each([
    ['component:default/foo', {}, { kind: 'component', namespace: 'default', name: 'foo' }],
    ['Component:Team-A/My.Service', {}, { kind: 'Component', namespace: 'Team-A', name: 'My.Service' }],
    ['component:foo', {}, { kind: 'component', namespace: 'default', name: 'foo' }],
    ['foo', { defaultKind: 'Group' }, { kind: 'Group', namespace: 'default', name: 'foo' }],
    ['ns/foo', { defaultKind: 'Group' }, { kind: 'Group', namespace: 'ns', name: 'foo' }],
    ['foo', { defaultKind: 'Group', defaultNamespace: 'team' }, { kind: 'Group', namespace: 'team', name: 'foo' }],
    ['user:jdoe', { defaultKind: 'Group', defaultNamespace: 'team' }, { kind: 'user', namespace: 'team', name: 'jdoe' }],
    ['group:other/x', { defaultNamespace: 'team' }, { kind: 'group', namespace: 'other', name: 'x' }],
    // A ":" after the first "/" belongs to the name; a second "/" too.
    ['ns/a:b', { defaultKind: 'Component' }, { kind: 'Component', namespace: 'ns', name: 'a:b' }],
    ['component:ns/a/b', {}, { kind: 'component', namespace: 'ns', name: 'a/b' }],
    ['a:b:c', {}, { kind: 'a', namespace: 'default', name: 'b:c' }],
    ['foo', { defaultKind: 'Group', defaultNamespace: '' }, { kind: 'Group', namespace: 'default', name: 'foo' }],
  ])('%j with %j', (ref, context, expected) => {
    expect(parseEntityRef(ref, context)).toEqual(expected);
  });

  it('accepts the object form and fills it in from the context', () => {
    expect(parseEntityRef({ name: 'x' }, { defaultKind: 'API' })).toEqual({ kind: 'API', namespace: 'default', name: 'x' });
    expect(parseEntityRef({ kind: 'Component', namespace: 'a', name: 'b' })).toEqual({ kind: 'Component', namespace: 'a', name: 'b' });
  });

  it.each([
    ['', 'Entity ref must not be empty; expected [<kind>:][<namespace>/]<name>, e.g. "component:default/my-service"'],
    ['component:', 'Entity ref "component:" has an empty name; expected [<kind>:][<namespace>/]<name>, e.g. "component:default/my-service"'],
    [':foo', 'Entity ref ":foo" has an empty kind; expected [<kind>:][<namespace>/]<name>, e.g. "component:default/my-service"'],
    ['component:/foo', 'Entity ref "component:/foo" has an empty namespace; expected [<kind>:][<namespace>/]<name>, e.g. "component:default/my-service"'],
    ['default/', 'Entity ref "default/" has an empty name; expected [<kind>:][<namespace>/]<name>, e.g. "component:default/my-service"'],
    ['/foo', 'Entity ref "/foo" has an empty namespace; expected [<kind>:][<namespace>/]<name>, e.g. "component:default/my-service"'],
    ['foo', 'Entity ref "foo" has no kind and none can be assumed here; write it with a kind, e.g. "component:foo"'],
    [42, 'Entity ref must be a string or an object with kind, namespace and name, but is 42'],
    [null, 'Entity ref must be a string or an object with kind, namespace and name, but is null'],
    [['a'], 'Entity ref must be a string or an object with kind, namespace and name, but is ["a"]'],
    [{ kind: 'Component' }, 'Entity ref {"kind":"Component"} has no name; expected [<kind>:][<namespace>/]<name>, e.g. "component:default/my-service"'],
    [{ kind: 'Component', name: 5 }, 'Entity ref {"kind":"Component","name":5} has an invalid name: it must be a non-empty string'],
    [{ kind: '', name: 'x' }, 'Entity ref {"kind":"","name":"x"} has an invalid kind: it must be a non-empty string'],
  ])('rejects %j', (ref, message) => {
    expect(() => parseEntityRef(ref)).toThrow(message);
  });

  it('throws an InvalidEntityRefError that HTTP layers treat as bad input', () => {
    try {
      parseEntityRef('component:');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidEntityRefError);
      expect(error).toMatchObject({ name: 'InputError', statusCode: 400, ref: 'component:' });
    }
  });
});

describe('stringifyEntityRef', () => {
  it('lower-cases kind, namespace and name, as Backstage does', () => {
    expect(stringifyEntityRef({ kind: 'Component', namespace: 'Team-A', name: 'My.Service' })).toBe('component:team-a/my.service');
  });

  it('defaults the namespace', () => {
    expect(stringifyEntityRef({ kind: 'API', name: 'petstore' })).toBe('api:default/petstore');
    expect(stringifyEntityRef({ kind: 'API', namespace: '', name: 'petstore' })).toBe('api:default/petstore');
  });

  it('accepts an entity', () => {
    const entity = { apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: 'Team-A' } };
    expect(stringifyEntityRef(entity)).toBe('group:default/team-a');
    expect(getCompoundEntityRef(entity)).toEqual({ kind: 'Group', namespace: 'default', name: 'Team-A' });
  });

  it('round-trips through parseEntityRef', () => {
    const ref = 'resource:ops/db-main';
    expect(stringifyEntityRef(parseEntityRef(ref))).toBe(ref);
  });
});

describe('normalizeEntityRef and compareEntityRefs', () => {
  it('normalizes in context', () => {
    expect(normalizeEntityRef('Team-A', { defaultKind: 'Group' })).toBe('group:default/team-a');
    expect(normalizeEntityRef({ kind: 'User', name: 'JDoe' }, { defaultNamespace: 'ops' })).toBe('user:ops/jdoe');
  });

  it('treats refs that differ in case or an omitted default namespace as equal', () => {
    expect(compareEntityRefs('Component:Default/Foo', 'component:foo')).toBe(0);
    expect(compareEntityRefs({ kind: 'component', namespace: 'default', name: 'foo' }, 'component:default/foo')).toBe(0);
    const entity = { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'Foo' } };
    expect(compareEntityRefs(entity, 'component:default/foo')).toBe(0);
    expect(compareEntityRefs('foo', 'component:foo', { defaultKind: 'Component' })).toBe(0);
  });

  it('orders refs by code point, independent of locale', () => {
    const refs = ['group:default/b', 'api:default/z', 'Group:default/a', 'api:default/Z-1'];
    expect([...refs].sort(compareEntityRefs)).toEqual(['api:default/z', 'api:default/Z-1', 'Group:default/a', 'group:default/b']);
  });

  it('throws on a malformed ref', () => {
    expect(() => compareEntityRefs('foo', 'component:foo')).toThrow(InvalidEntityRefError);
  });
});
