import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { coreServices, createServiceFactory, type AuditEvent } from '@atrium/backend-plugin-api';
import { catalogPlugin, catalogServiceRef } from '@atrium/plugin-catalog/backend';
import { createTestPostgresDatabase, startTestBackend, testDatabaseKinds, testPostgresUrl, waitFor, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../hostAuth.js';
import {
  entraAddMember,
  entraCreateGroup,
  entraCreateUser,
  entraDisableUser,
  entraGroupLookupQuery,
  entraRemoveMember,
  entraUserLookupQuery,
} from './fixtures/entra.fixture.js';
import {
  oktaAddMembers,
  oktaConnectionTestQuery,
  oktaCreateGroup,
  oktaCreateUser,
  oktaDeactivateUser,
  oktaRemoveMember,
  oktaRenameGroup,
  oktaUserLookupQuery,
} from './fixtures/okta.fixture.js';

const ORG_YAML = `
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: it-admin }
spec: { memberOf: [identity-admins] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: identity-admins }
spec: { type: team, children: [] }
`;

const SCIM = '/api/auth/scim/v2';
const SCIM_JSON = 'application/scim+json; charset=utf-8';

interface ScimList {
  schemas: string[];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: Array<Record<string, unknown> & { id: string }>;
}
interface ScimErrorBody {
  schemas: string[];
  status: string;
  scimType?: string;
  detail: string;
}

describe.each(testDatabaseKinds())('SCIM 2.0 provisioning (%s)', (database) => {
  let b: TestBackend;
  let dir: string;
  let token: string;
  const audits: AuditEvent[] = [];

  /** A SCIM request as an identity provider sends it. */
  async function scim<T = Record<string, unknown>>(
    method: string,
    url: string,
    body?: unknown,
    auth: string | null = token,
    extraHeaders: Record<string, string> = {},
  ) {
    const res = await b.fetch(`${SCIM}${url}`, {
      method,
      headers: {
        accept: 'application/scim+json',
        ...(body !== undefined ? { 'content-type': SCIM_JSON } : {}),
        ...(auth ? { authorization: `Bearer ${auth}` } : {}),
        ...extraHeaders,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
  }
  const entity = async (ref: string) => {
    const [kind, rest] = ref.split(':') as [string, string];
    const res = await b.fetch(`/api/catalog/entities/by-name/${kind}/${rest}`);
    return res.status === 200
      ? ((await res.json()) as {
          metadata: { name: string; annotations: Record<string, string> };
          spec: Record<string, unknown>;
          relations: Array<{ type: string; targetRef: string }>;
        })
      : undefined;
  };
  const newToken = async (kind: 'service' | 'personal', ownerRef: string, scopes: string[]) =>
    (
      await b.backend.auth.tokens.create({
        name: `${kind}-${scopes.join('+')}`,
        kind,
        ownerRef,
        createdBy: 'user:default/it-admin',
        scopes,
        expiresAt: new Date(Date.now() + 86_400_000),
      })
    ).secret;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-scim-test-'));
    fs.writeFileSync(path.join(dir, 'org.yaml'), ORG_YAML);
    b = await startTestBackend({
      database,
      plugins: [catalogPlugin],
      configDir: dir,
      config: { backend: { reading: { fileRoots: [dir] } }, catalog: { locations: [{ type: 'file', target: './org.yaml' }] } },
      services: [createServiceFactory(coreServices.audit, () => ({ record: (e: AuditEvent) => void audits.push(e) }))],
    });
    await waitFor(async () => !!(await entity('group:default/identity-admins')), { timeoutMs: 30_000, message: 'the org is in the catalog' });
    token = await newToken('service', 'group:default/identity-admins', ['auth.scim']);
  }, 60_000);
  afterAll(async () => {
    await b?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    audits.length = 0;
  });

  it('refuses callers without a service token holding auth.scim: 401 without a token (the guest too), 403 with another token', async () => {
    const none = await scim<ScimErrorBody>('GET', '/Users', undefined, null);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(none.headers.get('content-type')).toMatch(/application\/scim\+json/);
    expect(none.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401' });

    expect((await scim('GET', '/Users', undefined, 'atr_not-a-real-token')).status).toBe(401);
    const readOnly = await scim<ScimErrorBody>('GET', '/Users', undefined, await newToken('service', 'group:default/identity-admins', ['read']));
    expect(readOnly.status).toBe(403);
    expect(readOnly.body.detail).toMatch(/auth\.scim/);
    const personal = await scim<ScimErrorBody>('GET', '/Users', undefined, await newToken('personal', 'user:default/it-admin', ['auth.scim']));
    expect(personal.status).toBe(403);
    // A session cookie is not enough either.
    const { secret } = await b.backend.auth.sessions.create('user:default/it-admin');
    const cookie = await b.fetch(`${SCIM}/Users`, { headers: { cookie: `${SESSION_COOKIE}=${secret}` } });
    expect(cookie.status).toBe(401);
  });

  it('serves the discovery endpoints', async () => {
    const config = await scim<{ patch: { supported: boolean }; filter: { supported: boolean } }>('GET', '/ServiceProviderConfig');
    expect(config.status).toBe(200);
    expect(config.body).toMatchObject({ patch: { supported: true }, filter: { supported: true }, bulk: { supported: false }, etag: { supported: true } });
    const types = await scim<ScimList>('GET', '/ResourceTypes');
    expect(types.body.Resources.map((r) => r['name'])).toEqual(expect.arrayContaining(['User', 'Group']));
    const schemas = await scim<ScimList>('GET', '/Schemas');
    expect(schemas.body.Resources.map((r) => r.id)).toEqual(
      expect.arrayContaining(['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:core:2.0:Group']),
    );
  });

  let dana: string;
  it('Okta: connection test, lookup, create — the user lands in the catalog; a duplicate userName is 409', async () => {
    const empty = await scim<ScimList>('GET', `/Users${oktaConnectionTestQuery}`);
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, startIndex: 1 });
    expect((await scim<ScimList>('GET', `/Users${oktaUserLookupQuery(oktaCreateUser.userName)}`)).body.totalResults).toBe(0);

    const created = await scim<Record<string, unknown> & { id: string; meta: { version: string; location: string } }>('POST', '/Users', oktaCreateUser);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ userName: 'Dana.Reyes@example.com', active: true, externalId: '00u1abcdEFGH2ijk3l4m', displayName: 'Dana Reyes' });
    expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.body).not.toHaveProperty('password');
    expect(created.body.meta.version).toBe('W/"1"');
    expect(created.headers.get('location')).toBe(created.body.meta.location);
    dana = created.body.id;

    const user = await entity('user:default/dana.reyes-example.com');
    expect(user?.metadata.annotations).toMatchObject({ 'atrium.io/scim-id': dana, 'backstage.io/managed-by-origin-location': 'scim:/api/auth/scim/v2' });
    expect(user?.spec).toMatchObject({ profile: { email: 'dana.reyes@example.com', displayName: 'Dana Reyes' } });
    expect(audits).toContainEqual(
      expect.objectContaining({
        action: 'scim.user.create',
        target: 'user:default/dana.reyes-example.com',
        actor: expect.objectContaining({ type: 'service', userEntityRef: 'group:default/identity-admins' }),
      }),
    );

    // userName is case-insensitive: the lookup finds it in any case, and a second create is refused.
    const found = await scim<ScimList>('GET', `/Users${oktaUserLookupQuery('dana.reyes@EXAMPLE.com')}`);
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0]!.id).toBe(dana);
    const duplicate = await scim<ScimErrorBody>('POST', '/Users', { ...oktaCreateUser, userName: 'DANA.REYES@example.com' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ status: '409', scimType: 'uniqueness' });
  });

  it('GET by id, 404 for an unknown id, 400 for a bad filter, paging with startIndex and count', async () => {
    const one = await scim<{ id: string }>('GET', `/Users/${dana}`);
    expect(one.status).toBe(200);
    expect(one.headers.get('etag')).toBe('W/"1"');
    expect((await scim('GET', '/Users/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await scim('GET', '/Users/not-a-uuid')).status).toBe(404);

    const bad = await scim<ScimErrorBody>('GET', `/Users?filter=${encodeURIComponent('userName zz "x"')}`);
    expect(bad.status).toBe(400);
    expect(bad.body.scimType).toBe('invalidFilter');

    await scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'paging.one@example.com' });
    await scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'paging.two@example.com' });
    const page = await scim<ScimList>('GET', '/Users?startIndex=2&count=1');
    expect(page.body).toMatchObject({ totalResults: 3, startIndex: 2, itemsPerPage: 1 });
    expect(page.body.Resources).toHaveLength(1);
    expect(page.body.Resources[0]!['userName']).toBe('paging.one@example.com');
    const filtered = await scim<ScimList>('GET', `/Users?filter=${encodeURIComponent('userName sw "paging."')}`);
    expect(filtered.body.Resources.map((r) => r['userName']).sort()).toEqual(['paging.one@example.com', 'paging.two@example.com']);
  });

  it('PUT replaces the user (Okta sends the whole object back, id and all); the version and the catalog follow', async () => {
    const current = (await scim<Record<string, unknown>>('GET', `/Users/${dana}`)).body;
    const put = await scim<{ displayName: string; meta: { version: string }; name: { givenName: string } }>('PUT', `/Users/${dana}`, {
      ...current,
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      displayName: 'Dana R. Reyes',
      name: { givenName: 'Dana', familyName: 'R. Reyes' },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ displayName: 'Dana R. Reyes', name: { givenName: 'Dana' } });
    expect(put.body.meta.version).toBe('W/"2"');
    expect(put.headers.get('etag')).toBe('W/"2"');
    expect((await entity('user:default/dana.reyes-example.com'))?.spec).toMatchObject({ profile: { displayName: 'Dana R. Reyes' } });
    expect(audits).toContainEqual(expect.objectContaining({ action: 'scim.user.update', target: 'user:default/dana.reyes-example.com' }));
    expect(
      (await scim('PUT', '/Users/00000000-0000-4000-8000-000000000000', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'x' })).status,
    ).toBe(404);
  });

  it('refuses invalid resources with SCIM errors: a missing userName, members that do not exist', async () => {
    const noName = await scim<ScimErrorBody>('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], displayName: 'Nobody' });
    expect(noName.status).toBe(400);
    expect(noName.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
    const ghost = await scim<ScimErrorBody>('POST', '/Groups', {
      ...oktaCreateGroup,
      displayName: 'Ghosts',
      members: [{ value: '00000000-0000-4000-8000-000000000000' }],
    });
    expect(ghost.status).toBe(400);
    expect(ghost.body.scimType).toBe('invalidValue');
  });

  it('If-Match on PUT, PATCH and DELETE: a stale version is 412 and changes nothing; the current one (weak or strong), or *, is served', async () => {
    const ifMatch = (tag: string) => ({ 'if-match': tag });
    const created = await scim<Record<string, unknown> & { id: string }>('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'if.match@example.com',
      displayName: 'One',
    });
    expect(created.headers.get('etag')).toBe('W/"1"');
    const id = created.body.id;
    const put = (displayName: string, tag: string) =>
      scim<{ meta: { version: string } }>(
        'PUT',
        `/Users/${id}`,
        { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'if.match@example.com', displayName },
        token,
        ifMatch(tag),
      );

    const fresh = await put('Two', 'W/"1"');
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('etag')).toBe('W/"2"');
    audits.length = 0;

    const stale = await scim<ScimErrorBody>(
      'PUT',
      `/Users/${id}`,
      { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'if.match@example.com', displayName: 'Lost update' },
      token,
      ifMatch('W/"1"'),
    );
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '412' });
    expect(stale.body.detail).toMatch(/version W\/"2"/);
    const patchOp = (value: string) => ({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'displayName', value }],
    });
    expect((await scim('PATCH', `/Users/${id}`, patchOp('Lost patch'), token, ifMatch('W/"1", W/"7"'))).status).toBe(412);
    expect((await scim('PATCH', `/Users/${id}`, patchOp('Two'), token, ifMatch('W/"1"'))).status).toBe(412); // a no-op PATCH too
    expect((await scim('DELETE', `/Users/${id}`, undefined, token, ifMatch('W/"1"'))).status).toBe(412);
    expect(
      (
        await scim(
          'PUT',
          `/Users/${id}`,
          { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'if.match@example.com' },
          token,
          ifMatch('not-a-tag'),
        )
      ).status,
    ).toBe(412);
    const unchanged = await scim<{ displayName: string; meta: { version: string } }>('GET', `/Users/${id}`, undefined, token, ifMatch('W/"1"')); // reads ignore If-Match
    expect(unchanged.status).toBe(200);
    expect(unchanged.body).toMatchObject({ displayName: 'Two', meta: { version: 'W/"2"' } });
    expect(audits).toEqual([]);

    const patched = await scim<{ displayName: string }>('PATCH', `/Users/${id}`, patchOp('Three'), token, ifMatch('"2"'));
    expect(patched.status).toBe(200);
    expect(patched.body.displayName).toBe('Three');
    expect(patched.headers.get('etag')).toBe('W/"3"');
    expect((await scim('DELETE', `/Users/${id}`, undefined, token, ifMatch('*'))).status).toBe(204);
    expect((await scim('DELETE', `/Users/${id}`, undefined, token, ifMatch('*'))).status).toBe(404);

    const group = await scim<{ id: string }>('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'If-Match Team' });
    expect(
      (
        await scim(
          'PUT',
          `/Groups/${group.body.id}`,
          { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Renamed' },
          token,
          ifMatch('W/"9"'),
        )
      ).status,
    ).toBe(412);
    expect((await scim('DELETE', `/Groups/${group.body.id}`, undefined, token, ifMatch('W/"9"'))).status).toBe(412);
    expect((await scim('DELETE', `/Groups/${group.body.id}`, undefined, token, ifMatch('W/"1"'))).status).toBe(204);
  });

  let platform: string;
  it('Okta: group push, members added and removed by PATCH — the Group and memberOf follow in the catalog', async () => {
    const lee = await scim<{ id: string }>('POST', '/Users', entraCreateUser);
    expect(lee.status).toBe(201);
    const group = await scim<{ id: string; members?: unknown[] }>('POST', '/Groups', oktaCreateGroup);
    expect(group.status).toBe(201);
    platform = group.body.id;
    expect(await entity('group:default/platform-team')).toMatchObject({ spec: { type: 'team' } });
    expect(audits).toContainEqual(expect.objectContaining({ action: 'scim.group.create', target: 'group:default/platform-team' }));

    const added = await scim<{ members: Array<{ value: string; display: string }> }>(
      'PATCH',
      `/Groups/${platform}`,
      oktaAddMembers([
        { id: dana, display: 'Dana.Reyes@example.com' },
        { id: lee.body.id, display: 'Lee_Okafor@contoso.example' },
      ]),
    );
    expect(added.status).toBe(200);
    expect(added.body.members.map((m) => m.value).sort()).toEqual([dana, lee.body.id].sort());
    expect((await entity('user:default/dana.reyes-example.com'))?.spec['memberOf']).toEqual(['group:default/platform-team']);
    expect((await entity('group:default/platform-team'))?.relations).toEqual(
      expect.arrayContaining([
        { type: 'hasMember', targetRef: 'user:default/dana.reyes-example.com' },
        { type: 'hasMember', targetRef: 'user:default/lee_okafor-contoso.example' },
      ]),
    );
    const userView = await scim<{ groups: Array<{ value: string; display: string }> }>('GET', `/Users/${dana}`);
    expect(userView.body.groups).toEqual([expect.objectContaining({ value: platform, display: 'Platform Team' })]);

    const removed = await scim<{ members?: Array<{ value: string }> }>('PATCH', `/Groups/${platform}`, oktaRemoveMember(lee.body.id));
    expect(removed.status).toBe(200);
    expect(removed.body.members?.map((m) => m.value)).toEqual([dana]);
    expect((await entity('user:default/lee_okafor-contoso.example'))?.spec['memberOf']).toEqual([]);
    expect(audits).toContainEqual(expect.objectContaining({ action: 'scim.group.update', meta: expect.objectContaining({ membersRemoved: [lee.body.id] }) }));

    const renamed = await scim<{ displayName: string }>('PATCH', `/Groups/${platform}`, oktaRenameGroup(platform, 'Platform Engineering'));
    expect(renamed.body.displayName).toBe('Platform Engineering');
    // The entity keeps its name (refs stay stable); the title follows.
    expect((await entity('group:default/platform-team'))?.metadata).toMatchObject({ title: 'Platform Engineering' });
  });

  it('a SCIM user signed in gets the SCIM group in its ownership (SCIM entities are trusted for membership)', async () => {
    const { secret } = await b.backend.auth.sessions.create('user:default/dana.reyes-example.com');
    const me = await b.json<{ userEntityRef: string; ownershipEntityRefs: string[] }>('/api/auth/me', { headers: { cookie: `${SESSION_COOKIE}=${secret}` } });
    expect(me.status).toBe(200);
    expect(me.body.ownershipEntityRefs).toEqual(['user:default/dana.reyes-example.com', 'group:default/platform-team']);
  });

  let sre: string;
  let lee: string;
  it('Entra: group create with its extra schema, lookup by displayName, Add/Remove member with "$ref": null', async () => {
    lee = (await scim<ScimList>('GET', `/Users${entraUserLookupQuery(entraCreateUser.userName)}`)).body.Resources[0]!.id;
    const group = await scim<{ id: string }>('POST', '/Groups', entraCreateGroup);
    expect(group.status).toBe(201);
    sre = group.body.id;
    const lookup = await scim<ScimList>('GET', `/Groups${entraGroupLookupQuery('SRE Guild')}`);
    expect(lookup.body.totalResults).toBe(1);
    expect(lookup.body.Resources[0]).not.toHaveProperty('members');

    expect((await scim('PATCH', `/Groups/${sre}`, entraAddMember(lee))).status).toBe(200);
    expect((await entity('user:default/lee_okafor-contoso.example'))?.spec['memberOf']).toEqual(['group:default/sre-guild']);
    expect((await scim('PATCH', `/Groups/${sre}`, entraRemoveMember(lee))).status).toBe(200);
    expect((await entity('user:default/lee_okafor-contoso.example'))?.spec['memberOf']).toEqual([]);
    expect((await scim('PATCH', `/Groups/${sre}`, entraAddMember(lee))).status).toBe(200);
  });

  it('Entra: PATCH "Replace" active "False" removes the user from the catalog and revokes its sessions and tokens; PATCH active true brings it back', async () => {
    const ref = 'user:default/lee_okafor-contoso.example';
    const { secret } = await b.backend.auth.sessions.create(ref);
    const personal = await newToken('personal', ref, ['read']);
    expect((await b.json<{ userEntityRef: string }>('/api/auth/me', { headers: { cookie: `${SESSION_COOKIE}=${secret}` } })).body.userEntityRef).toBe(ref);

    const disabled = await scim<{ active: boolean }>('PATCH', `/Users/${lee}`, entraDisableUser);
    expect(disabled.status).toBe(200);
    expect(disabled.body.active).toBe(false);
    expect(await entity(ref)).toBeUndefined();
    expect((await entity('group:default/sre-guild'))?.relations.filter((r) => r.type === 'hasMember')).toEqual([]);
    // The session is over (the guest is on by default, so the cookie now counts as no session) and the token is revoked.
    expect((await b.json<{ via: string }>('/api/auth/me', { headers: { cookie: `${SESSION_COOKIE}=${secret}` } })).body.via).toBe('guest');
    const revoked = await b.fetch('/api/auth/me', { headers: { authorization: `Bearer ${personal}` } });
    expect(revoked.status).toBe(401);
    expect(await revoked.text()).toMatch(/revoked/);
    expect(audits).toContainEqual(
      expect.objectContaining({ action: 'scim.user.deactivate', target: ref, meta: expect.objectContaining({ sessionsRevoked: 1, tokensRevoked: 1 }) }),
    );

    // Still known to SCIM (a lookup shows it inactive), and reactivation restores the entity and its group.
    const lookup = await scim<ScimList>('GET', `/Users${entraUserLookupQuery(entraCreateUser.userName)}`);
    expect(lookup.body.Resources[0]).toMatchObject({ id: lee, active: false });
    await scim('PATCH', `/Users/${lee}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Replace', path: 'active', value: 'True' }],
    });
    expect((await entity(ref))?.spec['memberOf']).toEqual(['group:default/sre-guild']);
  });

  it('Okta: deactivate by path-less replace, then DELETE — the user disappears; groups keep their other members', async () => {
    const ref = 'user:default/dana.reyes-example.com';
    const { secret } = await b.backend.auth.sessions.create(ref);
    const deactivated = await scim<{ active: boolean }>('PATCH', `/Users/${dana}`, oktaDeactivateUser);
    expect(deactivated.body.active).toBe(false);
    expect(await entity(ref)).toBeUndefined();
    expect(await b.backend.auth.sessions.lookup(secret)).toBeUndefined();

    const deleted = await b.fetch(`${SCIM}/Users/${dana}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(deleted.status).toBe(204);
    expect((await scim('GET', `/Users/${dana}`)).status).toBe(404);
    expect((await scim<{ members?: unknown[] }>('GET', `/Groups/${platform}`)).body.members ?? []).toEqual([]);
    expect(audits.map((a) => a.action)).toEqual(['scim.user.deactivate', 'scim.user.delete']);
    expect((await scim('DELETE', `/Users/${dana}`)).status).toBe(404);
  });

  it('DELETE of a group removes the Group entity and the memberships', async () => {
    expect((await b.fetch(`${SCIM}/Groups/${sre}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })).status).toBe(204);
    expect(await entity('group:default/sre-guild')).toBeUndefined();
    expect((await entity('user:default/lee_okafor-contoso.example'))?.spec['memberOf']).toEqual([]);
    expect(audits).toContainEqual(expect.objectContaining({ action: 'scim.group.delete', target: 'group:default/sre-guild' }));
  });

  it('application/json bodies work too; another content type is refused by the host (415)', async () => {
    const res = await b.fetch(`${SCIM}/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'json.client' }),
    });
    expect(res.status).toBe(201);
    const text = await b.fetch(`${SCIM}/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      body: 'userName=x',
    });
    expect(text.status).toBe(415);
  });
});

describe('SCIM under a permission policy (PGlite)', () => {
  let b: TestBackend;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-scim-policy-'));
    fs.writeFileSync(
      path.join(dir, 'org.yaml'),
      `${ORG_YAML}---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: app-team }
spec: { type: team, children: [] }
`,
    );
    b = await startTestBackend({
      plugins: [catalogPlugin],
      configDir: dir,
      config: {
        backend: { reading: { fileRoots: [dir] } },
        catalog: { locations: [{ type: 'file', target: './org.yaml' }] },
        // As app-config.production.yaml: auth.scim only through the admin role.
        permission: {
          policy: {
            roles: { admin: { members: ['group:default/identity-admins'] } },
            rules: [
              { id: 'admins', effect: 'allow', permissions: ['*'], roles: ['admin'] },
              { id: 'signed-in-own', effect: 'allow', permissions: ['auth.session.*', 'auth.token.*'] },
            ],
          },
        },
      },
    });
    // The guest may read nothing under this policy: ask the catalog in process.
    await waitFor(async () => !!(await b.backend.service(catalogServiceRef).getEntityByRef('group:default/app-team')), {
      timeoutMs: 30_000,
      message: 'the org is in the catalog',
    });
  }, 60_000);
  afterAll(async () => {
    await b?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a service token of a group the policy does not allow auth.scim is 403, the admins' is served", async () => {
    const tokenOf = async (ownerRef: string) =>
      (
        await b.backend.auth.tokens.create({
          name: 'scim',
          kind: 'service',
          ownerRef,
          createdBy: 'user:default/it-admin',
          scopes: ['auth.scim'],
          expiresAt: new Date(Date.now() + 86_400_000),
        })
      ).secret;
    const app = await b.fetch(`${SCIM}/Users`, { headers: { authorization: `Bearer ${await tokenOf('group:default/app-team')}` } });
    expect(app.status).toBe(403);
    expect(((await app.json()) as ScimErrorBody).schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
    expect((await b.fetch(`${SCIM}/Users`, { headers: { authorization: `Bearer ${await tokenOf('group:default/identity-admins')}` } })).status).toBe(200);
  });
});

describe.skipIf(!testPostgresUrl())('SCIM across two replicas on one Postgres', () => {
  let a: TestBackend;
  let c: TestBackend;
  let dir: string;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await createTestPostgresDatabase();
    drop = db.drop;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-scim-replicas-'));
    fs.writeFileSync(path.join(dir, 'org.yaml'), ORG_YAML);
    const start = (replicaId: string) =>
      startTestBackend({
        database: 'postgres',
        postgresUrl: db.url,
        replicaId,
        plugins: [catalogPlugin],
        configDir: dir,
        config: { backend: { reading: { fileRoots: [dir] } }, catalog: { locations: [{ type: 'file', target: './org.yaml' }] } },
      });
    a = await start('scim-a');
    c = await start('scim-c');
    await waitFor(async () => !!(await a.backend.service(catalogServiceRef).getEntityByRef('group:default/identity-admins')), {
      timeoutMs: 30_000,
      message: 'the org is in the catalog',
    });
  }, 90_000);
  afterAll(async () => {
    await a?.stop();
    await c?.stop();
    await drop?.();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a user created through one replica is deactivated through the other: entity gone, sessions ended on both', async () => {
    const { secret: token } = await a.backend.auth.tokens.create({
      name: 'scim',
      kind: 'service',
      ownerRef: 'group:default/identity-admins',
      createdBy: 'user:default/it-admin',
      scopes: ['auth.scim'],
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    const headers = { authorization: `Bearer ${token}`, 'content-type': SCIM_JSON };
    const created = await a.fetch(`${SCIM}/Users`, { method: 'POST', headers, body: JSON.stringify(oktaCreateUser) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const ref = 'user:default/dana.reyes-example.com';
    expect(await c.backend.service(catalogServiceRef).getEntityByRef(ref)).toBeDefined();
    const { secret } = await a.backend.auth.sessions.create(ref);

    const patched = await c.fetch(`${SCIM}/Users/${id}`, { method: 'PATCH', headers, body: JSON.stringify(entraDisableUser) });
    expect(patched.status).toBe(200);
    expect(await a.backend.service(catalogServiceRef).getEntityByRef(ref)).toBeUndefined();
    expect(await a.backend.auth.sessions.lookup(secret)).toBeUndefined();
    expect(await c.backend.auth.sessions.lookup(secret)).toBeUndefined();
  });
});
