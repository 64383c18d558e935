import { CATALOG_ENTITY_RESOURCE, type Caller, type PermissionDecision, type QueryConditions } from '@atrium/backend-plugin-api';
import { patternMatches, type PermissionCatalogue } from './catalogue.js';
import { compileEntityConditions, conditionsPredicate, describeConditions, type EntityCondition, type PolicyEntity } from './entityConditions.js';
import { GUEST_SUBJECT, type PermissionPolicy, type PolicyRule } from './policyTypes.js';

/** A rule ready to evaluate: who it applies to is a set test, its conditions one function. */
export interface CompiledRule {
  readonly index: number;
  readonly rule: PolicyRule;
  readonly allow: boolean;
  /** `rule 4 (deny catalog.entity.delete unless isEntityOwner)` */
  readonly text: string;
  readonly condition: EntityCondition | undefined;
  appliesTo(caller: Caller): boolean;
}

/** Rule N counts from 1 in texts; `ruleIndex` is the 0-based index into `permission.policy.rules`. */
export function describeRule(rule: PolicyRule, index: number): string {
  const who = [...(rule.roles ?? []).map((r) => `role ${r}`), ...(rule.subjects ?? [])];
  const conditions = rule.conditions ? describeConditions(rule.conditions) : [];
  const onlyNotOwner = rule.effect === 'deny' && conditions.length === 1 && conditions[0] === 'not isEntityOwner';
  const when = conditions.length === 0 ? '' : onlyNotOwner ? ' unless isEntityOwner' : ` when ${conditions.join(' and ')}`;
  const label = rule.id ? `rule ${index + 1} "${rule.id}"` : `rule ${index + 1}`;
  return `${label} (${rule.effect} ${rule.permissions.join(', ')}${who.length > 0 ? ` for ${who.join(', ')}` : ''}${when})`;
}

/**
 * The configured policy, compiled once: the rules for a permission are picked (and cached) the
 * first time it is asked about, so a decision walks only the rules that name it.
 */
export class PolicyEvaluator {
  private readonly compiled: CompiledRule[];
  private readonly perPermission = new Map<string, CompiledRule[]>();
  /** Per caller object (one per request), the roles it holds. */
  private readonly rolesOf = new WeakMap<Caller, Set<string>>();
  private readonly roleMembers: Map<string, Set<string>>;

  constructor(
    readonly policy: PermissionPolicy,
    private readonly catalogue: PermissionCatalogue,
  ) {
    this.roleMembers = new Map(Object.entries(policy.roles ?? {}).map(([name, role]) => [name, new Set(role.members.map((m) => m.toLowerCase()))]));
    this.compiled = policy.rules.map((rule, index) => this.compile(rule, index));
  }

  private compile(rule: PolicyRule, index: number): CompiledRule {
    const subjects = new Set((rule.subjects ?? []).map((s) => s.toLowerCase()));
    const roles = rule.roles ?? [];
    const everyoneSignedIn = subjects.size === 0 && roles.length === 0;
    return {
      index,
      rule,
      allow: rule.effect === 'allow',
      text: describeRule(rule, index),
      condition: rule.conditions ? compileEntityConditions(rule.conditions) : undefined,
      appliesTo: (caller) => {
        if (everyoneSignedIn) return caller.type !== 'guest';
        if (caller.type === 'guest' && subjects.has(GUEST_SUBJECT)) return true;
        if (roles.length > 0) {
          const held = this.callerRoles(caller);
          if (roles.some((r) => held.has(r))) return true;
        }
        return subjects.size > 0 && caller.ownershipEntityRefs.some((ref) => subjects.has(ref.toLowerCase()));
      },
    };
  }

  /** The text of the rule at a 0-based index (`rule 4 (deny …)`). */
  ruleText(index: number): string | undefined {
    return this.compiled[index]?.text;
  }

  /** The roles a caller holds: those listing one of its ownership refs (itself or its groups). */
  callerRoles(caller: Caller): Set<string> {
    let held = this.rolesOf.get(caller);
    if (!held) {
      held = new Set();
      const refs = caller.ownershipEntityRefs.map((r) => r.toLowerCase());
      for (const [name, members] of this.roleMembers) if (refs.some((r) => members.has(r))) held.add(name);
      this.rolesOf.set(caller, held);
    }
    return held;
  }

  /** Whether the permission targets catalog entities (so conditions apply to it). */
  targetsEntities(permission: string): boolean {
    return this.catalogue.get(permission)?.resourceType === CATALOG_ENTITY_RESOURCE;
  }

  /** The rules naming a permission, in policy order; rules with conditions only for entity permissions. */
  rulesFor(permission: string): CompiledRule[] {
    let rules = this.perPermission.get(permission);
    if (!rules) {
      const entities = this.targetsEntities(permission);
      rules = this.compiled.filter((r) => r.rule.permissions.some((p) => patternMatches(p, permission)) && (entities || !r.condition));
      // Only catalogue names are cached: a name from a request must not grow the map.
      if (this.catalogue.get(permission)) this.perPermission.set(permission, rules);
    }
    return rules;
  }

  /** Whether deciding needs the target entity: some rule that applies to the caller has conditions. */
  needsEntity(caller: Caller, permission: string): boolean {
    return this.rulesFor(permission).some((r) => r.condition && r.appliesTo(caller));
  }

  /**
   * Deny wins; without a matching allow the answer is deny. With the target entity, conditions
   * are evaluated against it. Without one (a list or a check before the target is known), an
   * unconditional rule decides, a conditional allow allows `conditional`ly (the list is filtered
   * by queryConditions), and a conditional deny cannot apply.
   */
  decide(caller: Caller, permission: string, entity: PolicyEntity | undefined): PermissionDecision {
    const rules = this.rulesFor(permission);
    let allow: CompiledRule | undefined;
    let conditionalAllow: CompiledRule | undefined;
    for (const r of rules) {
      if (!r.appliesTo(caller)) continue;
      let matches: boolean;
      if (!r.condition) matches = true;
      else if (entity) matches = r.condition(caller, entity);
      else {
        if (r.allow && !conditionalAllow) conditionalAllow = r;
        continue;
      }
      if (!matches) continue;
      if (!r.allow) return this.decision('DENY', r, permission);
      allow ??= r;
    }
    if (allow) return this.decision('ALLOW', allow, permission);
    if (conditionalAllow) return { ...this.decision('ALLOW', conditionalAllow, permission), conditional: true };
    return { result: 'DENY', reason: `no rule of permission.policy allows ${permission} for ${caller.userEntityRef}${entity ? ' on this target' : ''}` };
  }

  private decision(result: 'ALLOW' | 'DENY', r: CompiledRule, permission: string): PermissionDecision {
    return {
      result,
      reason: `${permission} ${result === 'ALLOW' ? 'allowed' : 'denied'} by ${r.text}`,
      ruleIndex: r.index,
      ...(r.rule.id ? { ruleId: r.rule.id } : {}),
    };
  }

  /**
   * The list filter for a caller: allowed = any matching allow and no matching deny. Rules
   * without conditions settle it at once; the rest become a catalog filter predicate.
   */
  queryConditions(caller: Caller, permission: string): QueryConditions {
    const allows: Array<Record<string, unknown>> = [];
    const denies: Array<Record<string, unknown>> = [];
    let allowAll = false;
    for (const r of this.rulesFor(permission)) {
      if (!r.appliesTo(caller)) continue;
      if (!r.rule.conditions) {
        if (!r.allow) return { result: 'none' };
        allowAll = true;
        continue;
      }
      (r.allow ? allows : denies).push(conditionsPredicate(r.rule.conditions, caller));
    }
    if (!allowAll && allows.length === 0) return { result: 'none' };
    const anyOf = (list: Array<Record<string, unknown>>) => (list.length === 1 && list[0] ? list[0] : { $any: list });
    if (denies.length === 0) return allowAll ? { result: 'all' } : { result: 'filter', predicate: anyOf(allows) };
    const notDenied = { $not: anyOf(denies) };
    return { result: 'filter', predicate: allowAll ? notDenied : { $all: [anyOf(allows), notDenied] } };
  }
}
