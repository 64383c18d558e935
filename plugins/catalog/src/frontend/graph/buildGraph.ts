import { parseEntityRef, RELATION_PAIRS, stringifyEntityRef, type Entity } from '@atrium/catalog-model';

/**
 * Building the relation graph around an entity: which relations to follow, how far, and how
 * to turn both directions of a relation pair into one edge. No React and no layout here, so
 * the graph's shape is easy to test; `RelationGraph.tsx` draws it.
 */

/** A type alias, not an interface, so it fits the graph library's `Record<string, unknown>` node data. */
export type GraphNode = {
  /** Canonical entity ref. */
  id: string;
  kind: string;
  name: string;
  namespace: string;
  title?: string;
  type?: string;
  /** Hops from the root. */
  depth: number;
  /** The catalog has no entity with this ref. */
  unresolved: boolean;
  root: boolean;
};

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  /** The relation read from source to target, e.g. `dependsOn`, `ownedBy`. */
  relation: string;
}

export interface RelationGroup {
  id: string;
  label: string;
  relations: string[];
}

/** The relation filters offered in the graph, each covering both directions of its pairs. */
export const RELATION_GROUPS: readonly RelationGroup[] = [
  { id: 'dependencies', label: 'Dependencies', relations: ['dependsOn', 'dependencyOf'] },
  { id: 'apis', label: 'APIs', relations: ['providesApi', 'apiProvidedBy', 'consumesApi', 'apiConsumedBy'] },
  { id: 'parts', label: 'Parts', relations: ['partOf', 'hasPart'] },
  { id: 'ownership', label: 'Ownership', relations: ['ownedBy', 'ownerOf'] },
  { id: 'org', label: 'Members and teams', relations: ['memberOf', 'hasMember', 'parentOf', 'childOf'] },
  { id: 'other', label: 'Other', relations: [] },
];

const GROUPED = new Set(RELATION_GROUPS.flatMap((g) => g.relations.map((r) => r.toLowerCase())));

/** Whether a relation type is followed when the given groups are selected (`other` covers custom types). */
export function relationSelected(type: string, groups: ReadonlySet<string>): boolean {
  const lower = type.toLowerCase();
  if (!GROUPED.has(lower)) return groups.has('other');
  return RELATION_GROUPS.some((g) => groups.has(g.id) && g.relations.some((r) => r.toLowerCase() === lower));
}

/** For each relation, its direction in the drawing: the first type of each pair reads forward. */
const INVERSE_TO_FORWARD = new Map(RELATION_PAIRS.map(([forward, inverse]) => [inverse.toLowerCase(), forward]));
const FORWARD = new Map(RELATION_PAIRS.map(([forward]) => [forward.toLowerCase(), forward]));

/**
 * One direction for both halves of a pair: `B dependencyOf A` becomes `A dependsOn B`, so the
 * edge is drawn once whichever entity's relations it was read from.
 */
export function canonicalEdge(source: string, relation: string, target: string): GraphEdge {
  const forward = INVERSE_TO_FORWARD.get(relation.toLowerCase());
  const [from, type, to] = forward ? [target, forward, source] : [source, FORWARD.get(relation.toLowerCase()) ?? relation, target];
  return { id: `${from}|${type}|${to}`, source: from, target: to, relation: type };
}

/** The fields of related entities the graph needs. */
export const GRAPH_FIELDS = ['kind', 'metadata.name', 'metadata.namespace', 'metadata.title', 'spec.type', 'spec.profile.displayName', 'relations'];

export type FetchEntities = (refs: string[]) => Promise<Array<Entity | null>>;

export interface CollectOptions {
  /** Hops from the root; 1 shows the direct relations. */
  depth: number;
  groups: ReadonlySet<string>;
  /** Past this many nodes the walk stops and the result says it was truncated. */
  maxNodes: number;
}

export interface RelationGraphData {
  nodes: GraphNode[];
  edges: GraphEdge[];
  truncated: boolean;
}

/**
 * Walks the relations around `root` breadth first, one request per level, and returns the
 * nodes within `depth` hops and every selected relation among them.
 */
export async function collectRelationGraph(root: Entity, options: CollectOptions, fetchEntities: FetchEntities): Promise<RelationGraphData> {
  const rootRef = refOf(root);
  const entities = new Map<string, Entity | null>([[rootRef, root]]);
  const depthOf = new Map<string, number>([[rootRef, 0]]);
  let frontier = [rootRef];
  let truncated = false;
  for (let depth = 1; depth <= options.depth && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const ref of frontier) {
      for (const target of neighbours(entities.get(ref), options.groups)) {
        if (depthOf.has(target)) continue;
        if (depthOf.size >= options.maxNodes) {
          truncated = true;
          break;
        }
        depthOf.set(target, depth);
        next.push(target);
      }
    }
    const fetched = next.length > 0 ? await fetchEntities(next) : [];
    next.forEach((ref, index) => entities.set(ref, fetched[index] ?? null));
    frontier = next;
  }
  const edges = new Map<string, GraphEdge>();
  for (const [ref, entity] of entities) {
    for (const relation of entity?.relations ?? []) {
      const target = relation.targetRef.toLowerCase();
      if (!depthOf.has(target) || !relationSelected(relation.type, options.groups)) continue;
      const edge = canonicalEdge(ref, relation.type, target);
      edges.set(edge.id, edge);
    }
  }
  const nodes = [...depthOf].map(([ref, depth]) => toNode(ref, entities.get(ref) ?? null, depth, ref === rootRef));
  return { nodes, edges: [...edges.values()], truncated };
}

function neighbours(entity: Entity | null | undefined, groups: ReadonlySet<string>): string[] {
  return (entity?.relations ?? []).filter((r) => relationSelected(r.type, groups)).map((r) => r.targetRef.toLowerCase());
}

export function refOf(entity: Entity): string {
  return stringifyEntityRef(entity);
}

/** A graph node for a ref; `entity` null means the catalog does not know it. */
export function toNode(ref: string, entity: Entity | null, depth: number, root = false): GraphNode {
  let parsed = { kind: 'unknown', namespace: 'default', name: ref };
  try {
    parsed = parseEntityRef(ref);
  } catch {
    // Keep the ref as the name: an unparsable target is still worth showing as unresolved.
  }
  if (!entity) return { id: ref, kind: parsed.kind, namespace: parsed.namespace, name: parsed.name, depth, unresolved: true, root };
  const spec = (entity.spec ?? {}) as { type?: unknown; profile?: { displayName?: unknown } };
  const title = entity.metadata.title ?? (typeof spec.profile?.displayName === 'string' ? spec.profile.displayName : undefined);
  return {
    id: ref,
    kind: entity.kind,
    namespace: entity.metadata.namespace ?? 'default',
    name: entity.metadata.name,
    ...(title ? { title } : {}),
    ...(typeof spec.type === 'string' ? { type: spec.type } : {}),
    depth,
    unresolved: false,
    root,
  };
}
