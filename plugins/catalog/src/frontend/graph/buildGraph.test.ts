import type { Entity } from '@atrium/catalog-model';
import { describe, expect, it, vi } from 'vitest';
import { canonicalEdge, collectRelationGraph, relationSelected } from './buildGraph';
import { collectSystemDiagram } from './systemDiagram';

function entity(ref: string, relations: Array<[string, string]> = [], extra: Partial<Entity['metadata']> = {}): Entity {
  const [kind, rest] = ref.split(':') as [string, string];
  const [namespace, name] = rest.split('/') as [string, string];
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: kind.charAt(0).toUpperCase() + kind.slice(1),
    metadata: { name, namespace, ...extra },
    spec: { type: 'service' },
    relations: relations.map(([type, targetRef]) => ({ type, targetRef })),
  };
}

/** A tiny catalog: orders depends on a db and a missing lib, provides an API consumed by web. */
const catalog = new Map<string, Entity>(
  [
    entity('component:default/orders', [
      ['dependsOn', 'resource:default/orders-db'],
      ['dependsOn', 'component:default/missing-lib'],
      ['providesApi', 'api:default/orders-api'],
      ['ownedBy', 'group:default/team'],
      ['partOf', 'system:default/shop'],
    ]),
    entity('resource:default/orders-db', [
      ['dependencyOf', 'component:default/orders'],
      ['partOf', 'system:default/shop'],
    ]),
    entity('api:default/orders-api', [
      ['apiProvidedBy', 'component:default/orders'],
      ['apiConsumedBy', 'component:default/web'],
      ['partOf', 'system:default/shop'],
    ]),
    entity('component:default/web', [
      ['consumesApi', 'api:default/orders-api'],
      ['partOf', 'system:default/shop'],
    ]),
    entity('group:default/team', [['ownerOf', 'component:default/orders']]),
    entity('system:default/shop', [
      ['hasPart', 'component:default/orders'],
      ['hasPart', 'component:default/web'],
      ['hasPart', 'resource:default/orders-db'],
      ['hasPart', 'api:default/orders-api'],
      ['partOf', 'domain:default/commerce'],
    ]),
    entity('domain:default/commerce', [['hasPart', 'system:default/shop']]),
  ].map((e) => [`${e.kind}:${e.metadata.namespace}/${e.metadata.name}`.toLowerCase(), e]),
);
const fetchFromCatalog = vi.fn(async (refs: string[]) => refs.map((r) => catalog.get(r) ?? null));
const root = catalog.get('component:default/orders')!;
const ids = (data: { nodes: Array<{ id: string }> }) => data.nodes.map((n) => n.id).sort();

describe('canonicalEdge', () => {
  it('draws both halves of a pair as one forward edge', () => {
    expect(canonicalEdge('resource:default/db', 'dependencyOf', 'component:default/a')).toEqual(
      canonicalEdge('component:default/a', 'dependsOn', 'resource:default/db'),
    );
    expect(canonicalEdge('api:default/x', 'apiProvidedBy', 'component:default/a')).toMatchObject({
      source: 'component:default/a',
      relation: 'providesApi',
      target: 'api:default/x',
    });
  });

  it('keeps custom relations as they are', () => {
    expect(canonicalEdge('a:default/x', 'deploys', 'b:default/y')).toMatchObject({ source: 'a:default/x', relation: 'deploys' });
  });
});

describe('relationSelected', () => {
  it('maps relation types to their filter group, and unknown types to "other"', () => {
    expect(relationSelected('dependencyOf', new Set(['dependencies']))).toBe(true);
    expect(relationSelected('ownedBy', new Set(['dependencies']))).toBe(false);
    expect(relationSelected('deploys', new Set(['other']))).toBe(true);
  });
});

describe('collectRelationGraph', () => {
  it('follows the selected relations to the given depth and marks unknown targets', async () => {
    const graph = await collectRelationGraph(root, { depth: 1, groups: new Set(['dependencies', 'apis']), maxNodes: 100 }, fetchFromCatalog);
    expect(ids(graph)).toEqual(['api:default/orders-api', 'component:default/missing-lib', 'component:default/orders', 'resource:default/orders-db']);
    expect(graph.nodes.find((n) => n.id === 'component:default/missing-lib')).toMatchObject({ unresolved: true, kind: 'component', name: 'missing-lib' });
    expect(graph.nodes.find((n) => n.root)?.id).toBe('component:default/orders');
    // The db's dependencyOf and the component's dependsOn are one edge.
    expect(graph.edges.filter((e) => e.relation === 'dependsOn')).toHaveLength(2);
    expect(graph.truncated).toBe(false);
  });

  it('goes further with more depth, and asks for each level once', async () => {
    fetchFromCatalog.mockClear();
    const graph = await collectRelationGraph(root, { depth: 2, groups: new Set(['apis']), maxNodes: 100 }, fetchFromCatalog);
    expect(ids(graph)).toEqual(['api:default/orders-api', 'component:default/orders', 'component:default/web']);
    expect(graph.nodes.find((n) => n.id === 'component:default/web')?.depth).toBe(2);
    expect(fetchFromCatalog).toHaveBeenCalledTimes(2);
    expect(graph.edges.map((e) => e.id).sort()).toEqual([
      'component:default/orders|providesApi|api:default/orders-api',
      'component:default/web|consumesApi|api:default/orders-api',
    ]);
  });

  it('stops at the node limit and says so', async () => {
    const graph = await collectRelationGraph(
      root,
      { depth: 3, groups: new Set(['dependencies', 'apis', 'parts', 'ownership']), maxNodes: 3 },
      fetchFromCatalog,
    );
    expect(graph.nodes).toHaveLength(3);
    expect(graph.truncated).toBe(true);
  });
});

describe('collectSystemDiagram', () => {
  it("shows a system's domain and parts with the relations among them", async () => {
    const diagram = await collectSystemDiagram(catalog.get('system:default/shop')!, fetchFromCatalog);
    expect(ids(diagram)).toEqual([
      'api:default/orders-api',
      'component:default/orders',
      'component:default/web',
      'domain:default/commerce',
      'resource:default/orders-db',
      'system:default/shop',
    ]);
    const relations = diagram.edges.map((e) => `${e.source} ${e.relation} ${e.target}`);
    expect(relations).toContain('system:default/shop partOf domain:default/commerce');
    expect(relations).toContain('component:default/web consumesApi api:default/orders-api');
    // The missing lib is outside the system, so it is not drawn.
    expect(relations.some((r) => r.includes('missing-lib'))).toBe(false);
  });

  it("shows a domain's systems and their parts", async () => {
    const diagram = await collectSystemDiagram(catalog.get('domain:default/commerce')!, fetchFromCatalog);
    expect(diagram.nodes).toHaveLength(6);
    expect(diagram.nodes.find((n) => n.id === 'component:default/web')?.depth).toBe(2);
  });
});
