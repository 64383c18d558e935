import { describe, expect, it } from 'vitest';
import { buildLdapEntities, entityName, normalizeDn, readLdapConfig } from './ldapSync.js';
import type { Entry } from 'ldapts';

const [source] = readLdapConfig([{ id: 'corp', url: 'ldap://127.0.0.1:389', users: { dn: 'ou=people,dc=x' }, groups: { dn: 'ou=groups,dc=x' } }]);

describe('LDAP entities', () => {
  it('fills the defaults and refuses a duplicate id or a bad URL', () => {
    expect(source).toMatchObject({
      users: { filter: '(objectClass=inetOrgPerson)', map: { name: 'uid', memberOf: 'memberOf' } },
      groups: { map: { members: ['member', 'uniqueMember', 'memberUid'] }, defaultType: 'team' },
      schedule: { intervalSeconds: 3600 },
    });
    const one = { id: 'a', url: 'ldap://h', users: { dn: 'x' }, groups: { dn: 'y' } };
    expect(() => readLdapConfig([one, one])).toThrow(/used twice/);
    expect(() => readLdapConfig([{ ...one, url: 'http://h' }])).toThrow(/integrations\.ldap\.0\.url/);
  });

  it('compares DNs without case or spaces around separators', () => {
    expect(normalizeDn('UID=Bob, OU=People ,DC=x')).toBe('uid=bob,ou=people,dc=x');
    expect(normalizeDn('cn=a\\,b,dc=x')).toBe('cn=a\\,b,dc=x');
    expect(entityName(' Jane Doe (Ops) ')).toBe('Jane-Doe-Ops');
  });

  it('merges member DNs, memberUid and memberOf, and nests groups', () => {
    const users: Entry[] = [
      { dn: 'uid=alice,ou=people,dc=x', uid: 'alice', cn: 'Alice', mail: 'a@x' },
      { dn: 'uid=bob,ou=people,dc=x', uid: 'bob', cn: 'Bob', memberOf: ['CN=Readers,OU=Groups,DC=x'] },
      { dn: 'cn=nobody,ou=people,dc=x', cn: 'No uid' },
    ];
    const groups: Entry[] = [
      { dn: 'cn=eng,ou=groups,dc=x', cn: 'eng', member: ['uid=alice,ou=people,dc=x', 'cn=platform,ou=groups,dc=x', 'uid=ghost,ou=people,dc=x'] },
      { dn: 'cn=platform,ou=groups,dc=x', cn: 'platform', description: 'P' },
      { dn: 'cn=ops,ou=groups,dc=x', cn: 'ops', memberUid: ['bob'] },
      { dn: 'cn=readers,ou=groups,dc=x', cn: 'readers' },
    ];
    const { entities, warnings } = buildLdapEntities(source!, users, groups);
    const by = Object.fromEntries(entities.map((d) => [`${d.entity.kind}:${d.entity.metadata.name}`, d.entity]));
    expect(by['User:alice']!.spec).toMatchObject({ profile: { displayName: 'Alice', email: 'a@x' }, memberOf: ['eng'] });
    expect(by['User:bob']!.spec).toMatchObject({ memberOf: ['ops', 'readers'] });
    expect(by['Group:platform']!.spec).toMatchObject({ parent: 'eng', children: [], type: 'team' });
    expect(by['Group:eng']!.spec).toMatchObject({ children: ['platform'] });
    expect(warnings.join()).toMatch(/cn=nobody,ou=people,dc=x has no usable uid/);
    expect(entities.every((d) => d.locationKey?.startsWith('ldap:corp:'))).toBe(true);
  });
});
