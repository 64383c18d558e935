import { describe, expect, it } from 'vitest';
import { entraAddMember, entraCreateGroup, entraDisableUser } from './fixtures/entra.fixture.js';
import { normalisePatchBody, normaliseResourceBody } from './scimQuirks.js';

describe('normalisePatchBody', () => {
  it('reads Entra\'s "Replace" and "False" as replace and false', () => {
    expect(normalisePatchBody(entraDisableUser)).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    });
  });

  it('turns string booleans in a path-less value, drops the operation name and "$ref": null', () => {
    const body = {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Replace', value: { active: 'True', displayName: 'True' } }],
    };
    expect(normalisePatchBody(body)).toMatchObject({ Operations: [{ op: 'replace', value: { active: true, displayName: 'True' } }] });
    expect(normalisePatchBody(entraAddMember('abc'))).toMatchObject({ Operations: [{ op: 'add', path: 'members', value: [{ value: 'abc' }] }] });
  });

  it('leaves what is not a PatchOp for the library to refuse', () => {
    expect(normalisePatchBody('nope')).toBe('nope');
    expect(normalisePatchBody({ op: 'add' })).toEqual({ op: 'add' });
  });
});

describe('normaliseResourceBody', () => {
  it('drops schema URIs it does not know and makes "active" a boolean', () => {
    expect(normaliseResourceBody(entraCreateGroup)).toMatchObject({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'] });
    expect(normaliseResourceBody({ userName: 'x', active: 'False' })).toEqual({ userName: 'x', active: false });
  });
});
