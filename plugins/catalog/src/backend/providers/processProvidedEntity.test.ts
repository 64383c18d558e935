import { createEntityValidator, type Entity } from '@atrium/catalog-model';
import { describe, expect, it } from 'vitest';
import { processProvidedEntity } from './processProvidedEntity.js';

const validator = createEntityValidator();
const ORIGIN = 'backstage.io/managed-by-origin-location';
const MANAGED_BY = 'backstage.io/managed-by-location';
const user = (annotations: Record<string, string> = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'dana', annotations },
  spec: { memberOf: ['admins'] },
});
const annotationsOf = (result: ReturnType<typeof processProvidedEntity>) => result.item?.entity?.metadata.annotations ?? {};

describe('where a provided entity came from', () => {
  it('marks the provider’s own directory data provider:<name>, whatever it claimed', () => {
    const result = processProvidedEntity(
      'ldap:corp',
      { entity: user({ [ORIGIN]: 'file:/etc/org.yaml' }), locationKey: 'ldap:corp:user/dana', authoritative: true },
      validator,
    );
    expect(annotationsOf(result)[ORIGIN]).toBe('provider:ldap:corp');
    expect(annotationsOf(result)[MANAGED_BY]).toBe('provider:ldap:corp');
  });

  it('keeps the location refs of an entity read from a file, but never lets it claim a provider’s trust', () => {
    const read = processProvidedEntity(
      'github',
      {
        entity: user({ [ORIGIN]: 'url:https://github.com/o/r/blob/main/catalog-info.yaml' }),
        locationKey: 'url:https://github.com/o/r/blob/main/catalog-info.yaml',
      },
      validator,
    );
    expect(annotationsOf(read)[ORIGIN]).toBe('url:https://github.com/o/r/blob/main/catalog-info.yaml');
    const forged = processProvidedEntity(
      'github',
      {
        entity: user({ [ORIGIN]: 'provider:ldap:corp', [MANAGED_BY]: 'provider:ldap:corp' }),
        locationKey: 'url:https://github.com/o/r/blob/main/catalog-info.yaml',
      },
      validator,
    );
    expect(annotationsOf(forged)[ORIGIN]).toBe('url:https://github.com/o/r/blob/main/catalog-info.yaml');
    expect(annotationsOf(forged)[MANAGED_BY]).toBe('url:https://github.com/o/r/blob/main/catalog-info.yaml');
    const noKey = processProvidedEntity('github', { entity: user({ [ORIGIN]: 'provider:ldap:corp' }) }, validator);
    expect(annotationsOf(noKey)[ORIGIN]).toBeUndefined();
  });
});
