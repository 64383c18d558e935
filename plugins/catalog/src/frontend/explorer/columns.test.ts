import type { Entity } from '@atrium/catalog-model';
import { describe, expect, it } from 'vitest';
import { columnsForKind, fieldsForColumns, nameCellSubtitle, sortFieldFor } from './columns';

const ids = (kind: string, options?: { showNamespace?: boolean }) => columnsForKind(kind, options).map((c) => c.id);

describe('columnsForKind', () => {
  it('picks columns that say something about the kind', () => {
    expect(ids('component')).toEqual(['name', 'system', 'owner', 'type', 'lifecycle', 'tags']);
    expect(ids('Component')).toEqual(ids('component'));
    expect(ids('user')).toEqual(['name', 'email', 'groups']);
    expect(ids('group')).toEqual(['name', 'type', 'parent', 'email']);
    expect(ids('system')).toEqual(['name', 'domain', 'owner', 'tags']);
    expect(ids('location')).toEqual(['name', 'type', 'target']);
  });

  it('shows the kind for the mixed list and generic columns for custom kinds', () => {
    expect(ids('all')).toEqual(['name', 'kind', 'type', 'owner', 'tags']);
    expect(ids('service-level-objective')).toEqual(['name', 'type', 'owner', 'tags']);
  });

  it('adds a namespace column only when asked', () => {
    expect(ids('api', { showNamespace: true })).toEqual(['name', 'namespace', 'system', 'owner', 'type', 'lifecycle', 'tags']);
  });
});

describe('fieldsForColumns', () => {
  it('asks only for what the columns show, plus what every row needs', () => {
    expect(fieldsForColumns(columnsForKind('user'))).toEqual([
      'kind',
      'metadata.name',
      'metadata.namespace',
      'metadata.title',
      'metadata.description',
      'metadata.uid',
      'spec.profile.displayName',
      'spec.profile.email',
      'spec.memberOf',
    ]);
  });
});

describe('sortFieldFor', () => {
  const columns = columnsForKind('component');
  it('sorts by the column field, or by name when the column cannot sort or is not shown', () => {
    expect(sortFieldFor(columns, 'owner').field).toBe('spec.owner');
    expect(sortFieldFor(columns, 'tags').field).toBe('metadata.name');
    expect(sortFieldFor(columns, 'email').field).toBe('metadata.name');
  });
});

describe('cell values', () => {
  const user: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'jdoe', namespace: 'ops' },
    spec: { profile: { displayName: 'Jane Doe', email: 'jane@example.com' }, memberOf: ['team-a', 'group:default/team-b'] },
  };
  it('shows the name the column sorts by, with the display name under it', () => {
    const [name] = columnsForKind('user');
    expect(name!.sortField).toBe('metadata.name');
    expect(name!.value(user)).toEqual({ type: 'text', text: 'jdoe' });
    expect(nameCellSubtitle(user)).toEqual({ title: 'Jane Doe' });
    expect(nameCellSubtitle({ ...user, metadata: { name: 'x', title: 'x', description: 'About x' } })).toEqual({ description: 'About x' });
  });

  it('extracts nested text and refs with their defaults', () => {
    const [, email, groups] = columnsForKind('user');
    expect(email!.value(user)).toEqual({ type: 'text', text: 'jane@example.com' });
    expect(groups!.value(user)).toEqual({
      type: 'refs',
      refs: ['team-a', 'group:default/team-b'],
      defaultKind: 'group',
      defaultNamespace: 'ops',
    });
  });

  it('treats missing values as empty', () => {
    const bare: Entity = { apiVersion: 'v1', kind: 'Component', metadata: { name: 'x' } };
    const values = columnsForKind('component').map((c) => c.value(bare));
    expect(values).toEqual([
      { type: 'text', text: 'x' },
      { type: 'refs', refs: [], defaultKind: 'system', defaultNamespace: 'default' },
      { type: 'refs', refs: [], defaultKind: 'group', defaultNamespace: 'default' },
      { type: 'text', text: undefined },
      { type: 'lifecycle', lifecycle: undefined },
      { type: 'tags', tags: [] },
    ]);
  });
});
