import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { routePermissionName } from '@atrium/backend-plugin-api';
import { loadConfig } from '../config/loadConfig.js';
import { defaultPlugins } from '../plugins.js';
import { PermissionCatalogue } from './catalogue.js';
import { PolicyEvaluator } from './evaluator.js';
import { checkPolicy } from './validatePolicy.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const catalogue = PermissionCatalogue.fromPlugins(defaultPlugins);

describe('the shipped permission setup', () => {
  it('every declared route of the default plugins checks a permission in the catalogue', () => {
    const missing = defaultPlugins.flatMap((p) =>
      (p.routes ?? [])
        .map((r) => routePermissionName(r))
        .filter((n): n is string => !!n && !catalogue.get(n))
        .map((n) => `${p.id}: ${n}`),
    );
    expect(missing).toEqual([]);
  });

  it('app-config.yaml has no policy (everything allowed on a laptop)', () => {
    const config = loadConfig({ rootDir: repoRoot, env: {} });
    expect(checkPolicy(config, catalogue)).toBeUndefined();
  });

  it('app-config.production.yaml: reads for signed-in users, changes for owners, everything for the admin group, nothing for the guest', () => {
    const config = loadConfig({
      rootDir: repoRoot,
      configFiles: [path.join(repoRoot, 'app-config.production.yaml')],
      env: { POSTGRES_HOST: 'db', POSTGRES_USER: 'atrium', ATRIUM_ADMIN_GROUP: 'group:default/platform' },
    });
    const policy = checkPolicy(config, catalogue);
    expect(policy).toBeDefined();
    const e = new PolicyEvaluator(policy!, catalogue);
    const jdoe = {
      type: 'user' as const,
      userEntityRef: 'user:default/jdoe',
      ownershipEntityRefs: ['user:default/jdoe', 'group:default/team-a'],
      displayName: 'jdoe',
    };
    const admin = { ...jdoe, userEntityRef: 'user:default/ada', ownershipEntityRefs: ['user:default/ada', 'group:default/platform'] };
    const guest = { type: 'guest' as const, userEntityRef: 'user:default/guest', ownershipEntityRefs: ['user:default/guest'], displayName: 'Guest' };
    const owned = { kind: 'Component', metadata: { name: 'a' }, spec: { owner: 'team-a' } };
    const notOwned = { kind: 'Component', metadata: { name: 'b' }, spec: { owner: 'team-b' } };
    expect(e.decide(jdoe, 'catalog.entity.read', notOwned).result).toBe('ALLOW');
    expect(e.decide(jdoe, 'catalog.entity.delete', owned).result).toBe('ALLOW');
    expect(e.decide(jdoe, 'catalog.entity.delete', notOwned).result).toBe('DENY');
    expect(e.decide(jdoe, 'audit.log.read', undefined).result).toBe('DENY');
    expect(e.decide(admin, 'catalog.entity.delete', notOwned).result).toBe('ALLOW');
    expect(e.decide(admin, 'audit.log.read', undefined).result).toBe('ALLOW');
    for (const { name } of catalogue.list()) expect(e.decide(guest, name, owned).result, name).toBe('DENY');
  });
});
