import type { Entity } from '@atrium/catalog-model';
import { canonicalEdge, refOf, relationSelected, toNode, type FetchEntities, type GraphEdge, type RelationGraphData } from './buildGraph';

/** Relations a system diagram draws between the things it shows. */
const DIAGRAM_GROUPS = new Set(['parts', 'apis', 'dependencies']);

const kindOfRef = (ref: string) => ref.slice(0, ref.indexOf(':'));
const targets = (entity: Entity | null | undefined, type: string, kinds?: string[]) =>
  (entity?.relations ?? [])
    .filter((r) => r.type.toLowerCase() === type.toLowerCase())
    .map((r) => r.targetRef.toLowerCase())
    .filter((ref) => !kinds || kinds.includes(kindOfRef(ref)));

/**
 * The system diagram: for a system, its domain, and its components, APIs and resources with
 * the relations among them; for a domain, its systems (and sub-domains) and their parts.
 * Relations leaving the diagram (a dependency on another system's API) are left out.
 */
export async function collectSystemDiagram(root: Entity, fetchEntities: FetchEntities, maxNodes = 150): Promise<RelationGraphData> {
  const rootRef = refOf(root);
  const entities = new Map<string, Entity | null>([[rootRef, root]]);
  const depthOf = new Map<string, number>([[rootRef, 0]]);
  let truncated = false;

  const add = async (refs: string[], depth: number) => {
    const fresh: string[] = [];
    for (const ref of refs) {
      if (depthOf.has(ref)) continue;
      if (depthOf.size >= maxNodes) {
        truncated = true;
        break;
      }
      depthOf.set(ref, depth);
      fresh.push(ref);
    }
    const fetched = fresh.length > 0 ? await fetchEntities(fresh) : [];
    fresh.forEach((ref, index) => entities.set(ref, fetched[index] ?? null));
    return fresh;
  };

  if (root.kind.toLowerCase() === 'domain') {
    const systems = await add(targets(root, 'hasPart', ['system', 'domain']), 1);
    await add(
      systems.flatMap((ref) => targets(entities.get(ref), 'hasPart')),
      2,
    );
  } else {
    await add(targets(root, 'partOf', ['domain']), 1);
    await add(targets(root, 'hasPart'), 1);
  }

  const edges = new Map<string, GraphEdge>();
  for (const [ref, entity] of entities) {
    for (const relation of entity?.relations ?? []) {
      const target = relation.targetRef.toLowerCase();
      if (!depthOf.has(target) || !relationSelected(relation.type, DIAGRAM_GROUPS)) continue;
      const edge = canonicalEdge(ref, relation.type, target);
      edges.set(edge.id, edge);
    }
  }
  const nodes = [...depthOf].map(([ref, depth]) => toNode(ref, entities.get(ref) ?? null, depth, ref === rootRef));
  return { nodes, edges: [...edges.values()], truncated };
}
