import { CATALOG_ENTITY_RESOURCE, type ConfigService } from '@atrium/backend-plugin-api';
import { didYouMean } from '../config/didYouMean.js';
import { StartupError } from '../host/StartupError.js';
import type { PermissionCatalogue } from './catalogue.js';
import type { PermissionPolicy } from './policyTypes.js';

/** The policy configured at `permission.policy`, if any (already shape-checked by the config schema). */
export function readPolicy(config: ConfigService): PermissionPolicy | undefined {
  return config.get('permission.policy') as PermissionPolicy | undefined;
}

/**
 * The second validation pass, after the config schema: every permission a rule names is in the
 * catalogue (a wildcard covers at least one), every role a rule names is defined, conditions sit
 * on rules that cover an entity permission, and rule ids are unique. Returns the problems, each
 * as `<file>: <key>: <what>`.
 */
export function policyProblems(policy: PermissionPolicy, catalogue: PermissionCatalogue, originOf: (key: string) => string | undefined): string[] {
  const problems: string[] = [];
  const at = (key: string, message: string) => problems.push(`${originOf(key) ?? 'the defaults'}: ${key}: ${message}`);
  const names = catalogue.list().map((e) => e.name);
  const roles = Object.keys(policy.roles ?? {});
  const ids = new Map<string, number>();
  policy.rules.forEach((rule, i) => {
    const key = `permission.policy.rules.${i}`;
    const covered = new Set<string>();
    rule.permissions.forEach((pattern, j) => {
      const matched = catalogue.matching(pattern);
      if (matched.length === 0) {
        const hint = pattern.includes('*') ? '' : didYouMean(pattern, names);
        at(
          `${key}.permissions.${j}`,
          pattern.includes('*')
            ? `"${pattern}" matches no permission in the catalogue (GET /api/permissions/catalogue lists them)`
            : `unknown permission "${pattern}"${hint ? ` (did you mean ${hint}?)` : ''}; GET /api/permissions/catalogue lists them`,
        );
      }
      for (const name of matched) covered.add(name);
    });
    (rule.roles ?? []).forEach((role, j) => {
      if (!roles.includes(role)) {
        const hint = didYouMean(role, roles);
        at(`${key}.roles.${j}`, `unknown role "${role}"${hint ? ` (did you mean ${hint}?)` : ''}; define it under permission.policy.roles`);
      }
    });
    if (rule.conditions && covered.size > 0 && ![...covered].some((name) => catalogue.get(name)?.resourceType === CATALOG_ENTITY_RESOURCE)) {
      at(`${key}.conditions`, `conditions apply to catalog entities, and none of ${[...covered].join(', ')} targets one`);
    }
    if (rule.id !== undefined) {
      const first = ids.get(rule.id);
      if (first !== undefined) at(`${key}.id`, `the rule id "${rule.id}" is also used by permission.policy.rules.${first}`);
      else ids.set(rule.id, i);
    }
  });
  return problems;
}

/** Stops the start when the configured policy does not hold together (see policyProblems). */
export function checkPolicy(config: ConfigService, catalogue: PermissionCatalogue): PermissionPolicy | undefined {
  const policy = readPolicy(config);
  if (!policy) return undefined;
  const problems = policyProblems(policy, catalogue, (key) => config.originOf(key));
  if (problems.length > 0) throw new StartupError(`Invalid permission policy: ${problems.join('; ')}.`);
  return policy;
}
