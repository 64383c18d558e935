import type { Entity } from '@atrium/catalog-model';
import { describe, expect, it } from 'vitest';
import { humanizeRelation, relationCardsFor } from './relationCards';

const withRelations = (kind: string, relations: Array<[string, string]>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'x' },
  relations: relations.map(([type, targetRef]) => ({ type, targetRef })),
});

describe('relationCardsFor', () => {
  it("lists a component's APIs, dependencies and subcomponents", () => {
    const cards = relationCardsFor(
      withRelations('Component', [
        ['providesApi', 'api:default/orders'],
        ['dependsOn', 'resource:default/db'],
        ['dependsOn', 'component:default/lib'],
        ['hasPart', 'component:default/worker'],
        ['ownedBy', 'group:default/team'],
        ['partOf', 'system:default/shop'],
      ]),
    );
    expect(Object.fromEntries(cards.map((c) => [c.id, c.refs]))).toEqual({
      'provided-apis': ['api:default/orders'],
      'consumed-apis': [],
      'depends-on': ['resource:default/db', 'component:default/lib'],
      'dependency-of': [],
      subcomponents: ['component:default/worker'],
    });
  });

  it("splits a system's parts by kind", () => {
    const cards = relationCardsFor(
      withRelations('System', [
        ['hasPart', 'component:default/a'],
        ['hasPart', 'api:default/b'],
        ['hasPart', 'resource:default/c'],
      ]),
    );
    expect(cards.map((c) => [c.title, c.refs])).toEqual([
      ['Components', ['component:default/a']],
      ['APIs', ['api:default/b']],
      ['Resources', ['resource:default/c']],
    ]);
  });

  it('shows relations no card covers, grouped by type, for custom kinds and custom relations', () => {
    const cards = relationCardsFor(
      withRelations('Pipeline', [
        ['deploys', 'component:default/a'],
        ['deploys', 'component:default/b'],
        ['ownedBy', 'group:default/team'],
      ]),
    );
    expect(cards).toEqual([{ id: 'other-deploys', title: 'Deploys', refs: ['component:default/a', 'component:default/b'], emptyText: '' }]);
  });
});

describe('humanizeRelation', () => {
  it('turns camel case into words', () => {
    expect(humanizeRelation('dependencyOf')).toBe('Dependency of');
    expect(humanizeRelation('apiProvidedBy')).toBe('API provided by');
  });
});
