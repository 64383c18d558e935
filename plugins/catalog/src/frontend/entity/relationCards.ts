import {
  parseEntityRef,
  RELATION_API_CONSUMED_BY,
  RELATION_API_PROVIDED_BY,
  RELATION_CHILD_OF,
  RELATION_CONSUMES_API,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_HAS_MEMBER,
  RELATION_HAS_PART,
  RELATION_MEMBER_OF,
  RELATION_OWNER_OF,
  RELATION_PARENT_OF,
  RELATION_PART_OF,
  RELATION_PROVIDES_API,
  type Entity,
} from '@atrium/catalog-model';

/** One relation card on the overview: a titled list of related entities. */
export interface RelationCardSpec {
  id: string;
  title: string;
  /** Canonical refs, in the catalog's order. */
  refs: string[];
  /** What an empty card says, naming the spec field that would fill it. */
  emptyText: string;
}

interface CardRule {
  id: string;
  title: string;
  relation: string;
  /** Only targets of these kinds (lower-case); all when absent. */
  kinds?: string[];
  emptyText: string;
}

const rule = (id: string, title: string, relation: string, emptyText: string, kinds?: string[]): CardRule => ({
  id,
  title,
  relation,
  emptyText,
  ...(kinds ? { kinds } : {}),
});

/**
 * The relation cards per kind, following Backstage's entity pages. Group and User show their
 * members, hierarchy and ownership in dedicated cards instead (see org/).
 */
const CARDS: Record<string, CardRule[]> = {
  component: [
    rule('provided-apis', 'Provided APIs', RELATION_PROVIDES_API, 'Provides no APIs. List them in spec.providesApis.'),
    rule('consumed-apis', 'Consumed APIs', RELATION_CONSUMES_API, 'Consumes no APIs. List them in spec.consumesApis.'),
    rule('depends-on', 'Depends on', RELATION_DEPENDS_ON, 'Depends on nothing. List components and resources in spec.dependsOn.'),
    rule('dependency-of', 'Dependency of', RELATION_DEPENDENCY_OF, 'Nothing depends on this component.'),
    rule('subcomponents', 'Subcomponents', RELATION_HAS_PART, 'Has no subcomponents.', ['component']),
  ],
  api: [
    rule('providers', 'Provided by', RELATION_API_PROVIDED_BY, 'No component provides this API. Add it to a component’s spec.providesApis.'),
    rule('consumers', 'Consumed by', RELATION_API_CONSUMED_BY, 'No component consumes this API yet.'),
  ],
  resource: [
    rule('depends-on', 'Depends on', RELATION_DEPENDS_ON, 'Depends on nothing. List resources in spec.dependsOn.'),
    rule('dependency-of', 'Dependency of', RELATION_DEPENDENCY_OF, 'Nothing depends on this resource.'),
  ],
  system: [
    rule('components', 'Components', RELATION_HAS_PART, 'No components are part of this system. Set spec.system on a component.', ['component']),
    rule('apis', 'APIs', RELATION_HAS_PART, 'No APIs are part of this system. Set spec.system on an API.', ['api']),
    rule('resources', 'Resources', RELATION_HAS_PART, 'No resources are part of this system. Set spec.system on a resource.', ['resource']),
  ],
  domain: [
    rule('systems', 'Systems', RELATION_HAS_PART, 'No systems are part of this domain. Set spec.domain on a system.', ['system']),
    rule('subdomains', 'Subdomains', RELATION_HAS_PART, 'Has no subdomains.', ['domain']),
  ],
  group: [],
  user: [],
};

/** Relations listed in no card of the kind show up in a generic "Other relations" card. */
const SHOWN_ELSEWHERE = new Set(
  [RELATION_OWNER_OF, RELATION_PART_OF, 'ownedby', RELATION_CHILD_OF, RELATION_PARENT_OF, RELATION_HAS_MEMBER, RELATION_MEMBER_OF].map((r) => r.toLowerCase()),
);

function kindOf(ref: string): string | undefined {
  try {
    return parseEntityRef(ref).kind.toLowerCase();
  } catch {
    return undefined;
  }
}

/** The relation cards for an entity, each with its targets. */
export function relationCardsFor(entity: Entity): RelationCardSpec[] {
  const relations = entity.relations ?? [];
  const rules = CARDS[entity.kind.toLowerCase()];
  const cards: RelationCardSpec[] = (rules ?? []).map((r) => ({
    id: r.id,
    title: r.title,
    emptyText: r.emptyText,
    refs: relations
      .filter((rel) => rel.type.toLowerCase() === r.relation.toLowerCase())
      .map((rel) => rel.targetRef)
      .filter((ref) => !r.kinds || r.kinds.includes(kindOf(ref) ?? '')),
  }));
  const covered = new Set((rules ?? []).map((r) => r.relation.toLowerCase()));
  const other = relations.filter((rel) => !covered.has(rel.type.toLowerCase()) && !SHOWN_ELSEWHERE.has(rel.type.toLowerCase()));
  if (rules === undefined || other.length > 0) {
    const byType = new Map<string, string[]>();
    for (const rel of other) byType.set(rel.type, [...(byType.get(rel.type) ?? []), rel.targetRef]);
    for (const [type, refs] of byType) {
      cards.push({ id: `other-${type}`, title: humanizeRelation(type), refs, emptyText: '' });
    }
  }
  return cards;
}

/** `dependencyOf` → `Dependency of`, `apiProvidedBy` → `API provided by`. */
export function humanizeRelation(type: string): string {
  const words = type
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/\s+/);
  const text = words.map((w) => (w === 'api' ? 'API' : w)).join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
