import type { Caller } from '@atrium/backend-plugin-api';
import { normalizeEntityRef, type Entity } from '@atrium/catalog-model';
import type { CatalogService } from '@atrium/plugin-catalog/backend';
import type { GroupRollup, RuleTally, ScorecardRollup } from '../common/index.js';
import { refOf } from './facts/builtins.js';
import type { ScorecardStore } from './store.js';

function empty(key: string, scorecardId: string): ScorecardRollup {
  return { key, scorecardId, entityCount: 0, levels: {}, points: 0, maxPoints: 0, rulePassRates: {} };
}

function addInto(target: ScorecardRollup, source: ScorecardRollup): void {
  target.entityCount += source.entityCount;
  target.points += source.points;
  target.maxPoints += source.maxPoints;
  for (const [level, n] of Object.entries(source.levels)) target.levels[level] = (target.levels[level] ?? 0) + n;
  for (const [rule, r] of Object.entries(source.rulePassRates)) addTally((target.rulePassRates[rule] ??= emptyTally()), r);
}

export const emptyTally = (): RuleTally => ({ passed: 0, total: 0, unmet: 0, upcoming: 0, ready: 0, notApplicable: 0 });
export function addTally(target: RuleTally, source: RuleTally): void {
  for (const k of Object.keys(target) as Array<keyof RuleTally>) target[k] += source[k];
}

/**
 * Level distribution, points and rule pass rates per owner (key `none` for unowned entities);
 * `visible`: counting only these entities (a caller's readable ones, filtered in SQL).
 */
export async function ownerRollups(store: ScorecardStore, scorecardId: string, visible?: string[]): Promise<ScorecardRollup[]> {
  const { levels, rules } = await store.ownerAggregates(scorecardId, visible);
  const byOwner = new Map<string, ScorecardRollup>();
  const get = (owner: string | null) => {
    const key = owner ?? 'none';
    let r = byOwner.get(key);
    if (!r) byOwner.set(key, (r = empty(key, scorecardId)));
    return r;
  };
  for (const l of levels) {
    const r = get(l.owner);
    r.entityCount += l.entities;
    r.points += l.points;
    r.maxPoints += l.max_points;
    r.levels[l.level ?? 'none'] = (r.levels[l.level ?? 'none'] ?? 0) + l.entities;
  }
  for (const { owner, rule_id, ...tally } of rules) get(owner).rulePassRates[rule_id] = tally;
  return [...byOwner.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/** The whole organisation as a tree: each group's figures include its descendants' entities. */
export function rollUpGroups(groups: Entity[], owners: ScorecardRollup[], scorecardId: string): GroupRollup[] {
  const byOwner = new Map(owners.map((o) => [o.key, o]));
  const refs = new Set(groups.map(refOf));
  const children = new Map<string, string[]>();
  const roots: string[] = [];
  for (const g of groups) {
    const ref = refOf(g);
    const parentRaw = (g.spec as Record<string, unknown> | undefined)?.['parent'];
    const parent = typeof parentRaw === 'string' ? normaliseGroupRef(parentRaw, g.metadata.namespace) : undefined;
    if (parent && refs.has(parent) && parent !== ref) (children.get(parent) ?? children.set(parent, []).get(parent)!).push(ref);
    else roots.push(ref);
  }
  const visiting = new Set<string>();
  const build = (ref: string): GroupRollup => {
    visiting.add(ref);
    const node: GroupRollup = { ...empty(ref, scorecardId), children: [] };
    const own = byOwner.get(ref);
    if (own) addInto(node, own);
    for (const child of (children.get(ref) ?? []).sort()) {
      if (visiting.has(child)) continue; // a parent cycle in the catalog: cut it
      const c = build(child);
      node.children.push(c);
      addInto(node, c);
    }
    visiting.delete(ref);
    return node;
  };
  return roots.sort().map(build);
}

/** A group's spec.parent as a canonical ref (kind group, the group's namespace by default); undefined when malformed. */
function normaliseGroupRef(ref: string, namespace?: string): string | undefined {
  try {
    return normalizeEntityRef(ref, { defaultKind: 'group', ...(namespace ? { defaultNamespace: namespace } : {}) });
  } catch {
    return undefined;
  }
}

/** With `caller`: the groups it may read, holding the entities it may read (`visible`). */
export async function groupRollups(
  store: ScorecardStore,
  catalog: CatalogService,
  scorecardId: string,
  reader?: { caller: Caller; visible: string[] | undefined },
): Promise<GroupRollup[]> {
  const [{ items: groups }, owners] = await Promise.all([
    catalog.getEntities({
      filter: { kind: 'group' },
      fields: ['kind', 'metadata.name', 'metadata.namespace', 'spec.parent'],
      ...(reader ? { caller: reader.caller } : {}),
    }),
    ownerRollups(store, scorecardId, reader?.visible),
  ]);
  return rollUpGroups(groups, owners, scorecardId);
}
