import { describe, expect, it } from 'vitest';
import { isTrustedEntity, resolveOwnership, type EntityLookup } from './ownership.js';

const ORIGIN = 'backstage.io/managed-by-origin-location';
const entity = (origin: string, relations: Array<{ type: string; targetRef: string }> = []) => ({ metadata: { annotations: { [ORIGIN]: origin } }, relations });

describe('trusted sources of membership', () => {
  const configured = new Set(['file:/srv/org.yaml']);

  it('trusts configured locations and entity providers’ own data, nothing else', () => {
    expect(isTrustedEntity(entity('file:/srv/org.yaml'), configured)).toBe(true);
    expect(isTrustedEntity(entity('provider:ldap:corp'), configured)).toBe(true);
    expect(isTrustedEntity(entity('url:https://github.com/o/r/blob/main/catalog-info.yaml'), configured)).toBe(false);
    expect(isTrustedEntity(undefined, configured)).toBe(false);
  });

  it('follows memberOf and parents only through trusted entities', async () => {
    const byRef: Record<string, ReturnType<typeof entity>> = {
      'user:default/dana': entity('provider:ldap:corp', [
        { type: 'memberOf', targetRef: 'group:default/team-a' },
        { type: 'memberOf', targetRef: 'group:default/admins' },
      ]),
      'group:default/team-a': entity('provider:ldap:corp', [{ type: 'childOf', targetRef: 'group:default/org' }]),
      'group:default/org': entity('file:/srv/org.yaml'),
      // Registered by someone through the API: claims nothing.
      'group:default/admins': entity('url:https://example.com/admins.yaml'),
    };
    const catalog: EntityLookup = { getEntitiesByRefs: async (refs) => refs.map((r) => byRef[r]) };
    expect((await resolveOwnership('user:default/dana', catalog, configured)).sort()).toEqual([
      'group:default/org',
      'group:default/team-a',
      'user:default/dana',
    ]);
  });
});
