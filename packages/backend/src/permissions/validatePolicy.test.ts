import { describe, expect, it } from 'vitest';
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import { definePermission, definePlugin } from '@atrium/backend-plugin-api';
import { ConfigBundle } from '../config/ConfigBundle.js';
import { validateConfig } from '../config/validateConfig.js';
import { backendConfigSchema } from '../config/backendConfigSchema.js';
import { PermissionCatalogue } from './catalogue.js';
import { checkPolicy, policyProblems } from './validatePolicy.js';
import { testCatalogue } from './testCatalogue.fixture.js';

const FILE = '/etc/atrium/app-config.production.yaml';
const config = (policy: unknown) => ConfigBundle.fromObject({ permission: { policy } }, '/etc/atrium', 'app-config.production.yaml');

describe('policy validation: the start is refused with the file and the key', () => {
  it('an unknown permission, with a suggestion', () => {
    const c = config({
      rules: [
        { effect: 'allow', permissions: ['catalog.entity.read'] },
        { effect: 'allow', permissions: ['catalog.entity.delte'] },
      ],
    });
    expect(() => checkPolicy(c, testCatalogue)).toThrow(
      `${FILE}: permission.policy.rules.1.permissions.0: unknown permission "catalog.entity.delte" (did you mean catalog.entity.delete?)`,
    );
  });

  it('a wildcard that matches nothing, an undefined role, conditions on non-entity permissions, a duplicate id', () => {
    const problems = policyProblems(
      {
        roles: { admin: { members: ['group:default/platform'] } },
        rules: [
          { id: 'a', effect: 'allow', permissions: ['scaffolder.*'] },
          { id: 'a', effect: 'allow', permissions: ['*'], roles: ['admn'] },
          { effect: 'allow', permissions: ['system.info.read', 'catalog.location.create'], conditions: { isEntityOwner: true } },
        ],
      },
      testCatalogue,
      () => FILE,
    );
    expect(problems).toEqual([
      `${FILE}: permission.policy.rules.0.permissions.0: "scaffolder.*" matches no permission in the catalogue (GET /api/permissions/catalogue lists them)`,
      `${FILE}: permission.policy.rules.1.roles.0: unknown role "admn" (did you mean admin?); define it under permission.policy.roles`,
      `${FILE}: permission.policy.rules.1.id: the rule id "a" is also used by permission.policy.rules.0`,
      `${FILE}: permission.policy.rules.2.conditions: conditions apply to catalog entities, and none of system.info.read, catalog.location.create targets one`,
    ]);
  });

  it('an unknown condition is an unknown key of the config schema (first pass), with its file and a suggestion', () => {
    const c = config({ rules: [{ effect: 'allow', permissions: ['catalog.entity.read'], conditions: { isEntityOwnr: true } }] });
    expect(() => validateConfig(c, [{ key: '', schema: backendConfigSchema, whole: true }])).toThrow(
      `${FILE}: permission.policy.rules.0.conditions.isEntityOwnr is not a known key (did you mean permission.policy.rules.0.conditions.isEntityOwner?)`,
    );
  });

  it('a malformed rule (effect, subject ref) is refused by the schema', () => {
    const c = config({ rules: [{ effect: 'permit', permissions: ['x.y'], subjects: ['jdoe'] }] });
    expect(() => validateConfig(c, [{ key: '', schema: backendConfigSchema, whole: true }])).toThrow(/permission\.policy\.rules\.0\.effect must be one of/);
  });

  it('two plugins declaring one permission stop the start, naming both', () => {
    const p = (id: string) =>
      definePlugin({ id, permissions: [definePermission({ name: 'shared.thing.read', action: 'read', description: 'x' })], setup() {} });
    expect(() => PermissionCatalogue.fromPlugins([p('one'), p('two')])).toThrow('The permission shared.thing.read is declared twice: by one and by two');
  });

  it('the catalogue holds the host permissions and the installed plugins’ declarations', () => {
    const catalogue = PermissionCatalogue.fromPlugins([catalogPlugin]);
    expect(catalogue.get('permission.explain')?.declaredBy).toBe('host');
    expect(catalogue.matching('auth.token.*')).toEqual(['auth.token.create', 'auth.token.delete', 'auth.token.read']);
  });
});
