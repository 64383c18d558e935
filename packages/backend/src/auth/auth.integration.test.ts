import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { coreServices, createServiceFactory, definePlugin, type AuditEvent, type ServiceFactory } from '@atrium/backend-plugin-api';
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import { createTestPostgresDatabase, startTestBackend, testDatabaseKinds, testPostgresUrl, waitFor, type TestBackend } from '@atrium/test-utils';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authClockRef } from './authServices.js';
import { SESSION_COOKIE } from './hostAuth.js';

// A revocation on one replica reaches the others by NOTIFY: milliseconds, but not synchronously.
const ANNOUNCED = { timeout: 5_000, interval: 20 };

const USERS_YAML = `
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: jdoe }
spec: { memberOf: [team-a] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: asmith }
spec: { memberOf: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-a }
spec: { type: team, parent: org, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: org }
spec: { type: organization, children: [team-a] }
`;

/** A plugin whose routes check a read and a write permission, as every plugin's routes do. */
const probePlugin = definePlugin({
  id: 'probe',
  setup({ router, auth, permissions }) {
    router.get('/things', async (req, res) => {
      const caller = await auth.getCaller(req);
      await permissions.assert(caller, { permission: 'probe.thing.read' });
      res.json({ caller: caller.userEntityRef });
    });
    router.post('/things', async (req, res) => {
      const caller = await auth.getCaller(req);
      await permissions.assert(caller, { permission: 'probe.thing.create' });
      res.status(201).json({ caller: caller.userEntityRef });
    });
  },
});

/** A clock the test moves by hand. */
function testClock() {
  let now = Date.parse('2026-01-05T09:00:00Z');
  return { now: () => new Date(now), advanceMinutes: (m: number) => void (now += m * 60_000) };
}

function catalogDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-auth-test-'));
  fs.writeFileSync(path.join(dir, 'org.yaml'), USERS_YAML);
  return dir;
}

async function startWithCatalog(options: {
  database: 'pglite' | 'postgres';
  postgresUrl?: string;
  replicaId?: string;
  dir: string;
  auth?: Record<string, unknown>;
  services?: ServiceFactory[];
}): Promise<TestBackend> {
  const b = await startTestBackend({
    database: options.database,
    ...(options.postgresUrl ? { postgresUrl: options.postgresUrl } : {}),
    ...(options.replicaId ? { replicaId: options.replicaId } : {}),
    plugins: [catalogPlugin, probePlugin],
    configDir: options.dir,
    config: {
      backend: { reading: { fileRoots: [options.dir] } },
      catalog: { locations: [{ type: 'file', target: './org.yaml' }] },
      ...(options.auth ? { auth: options.auth } : {}),
    },
    services: options.services ?? [],
  });
  // Signed in (a session made through the host auth module), so the wait works with guest sign-in off too.
  const { secret } = await b.backend.auth.sessions.create('user:default/jdoe');
  await waitFor(async () => (await b.fetch('/api/catalog/entities/by-name/group/default/org', { headers: cookieOf(secret) })).status === 200, {
    timeoutMs: 30_000,
    message: 'the org is in the catalog',
  });
  await b.backend.auth.sessions.revokeAll('user:default/jdoe');
  return b;
}

const cookieOf = (secret: string) => ({ cookie: `${SESSION_COOKIE}=${secret}` });
const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

describe.each(testDatabaseKinds())('sessions and API tokens over HTTP (%s)', (database) => {
  let b: TestBackend;
  let dir: string;
  const clock = testClock();
  const audits: AuditEvent[] = [];

  beforeAll(async () => {
    dir = catalogDir();
    b = await startWithCatalog({
      database,
      dir,
      auth: { session: { idleMinutes: 60, maxHours: 2 } },
      services: [
        createServiceFactory(authClockRef, () => clock.now),
        createServiceFactory(coreServices.audit, () => ({ record: (e: AuditEvent) => void audits.push(e) })),
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await b?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    audits.length = 0;
  });

  it('a request with neither cookie nor token is the guest (the default config)', async () => {
    const me = await b.json<{ type: string; userEntityRef: string; via: string }>('/api/auth/me');
    expect(me).toMatchObject({ status: 200, body: { type: 'guest', userEntityRef: 'user:default/guest', via: 'guest' } });
    expect((await b.json('/api/auth/sessions')).status).toBe(401);
  });

  it('a session cookie is the user, owning its groups transitively from the catalog', async () => {
    const { secret } = await b.backend.auth.sessions.create('user:default/jdoe');
    const me = await b.json<{ type: string; userEntityRef: string; ownershipEntityRefs: string[]; via: string }>('/api/auth/me', { headers: cookieOf(secret) });
    expect(me.body).toMatchObject({ type: 'user', userEntityRef: 'user:default/jdoe', via: 'session' });
    expect([...me.body.ownershipEntityRefs].sort()).toEqual(['group:default/org', 'group:default/team-a', 'user:default/jdoe']);
    expect((await b.json('/api/probe/things', { method: 'POST', headers: cookieOf(secret) })).body).toEqual({ caller: 'user:default/jdoe' });
  });

  it('a group change in the catalog counts from the next request, though the auth clock stands still', async () => {
    const { secret } = await b.backend.auth.sessions.create('user:default/jdoe');
    const owned = async () =>
      [...(await b.json<{ ownershipEntityRefs: string[] }>('/api/auth/me', { headers: cookieOf(secret) })).body.ownershipEntityRefs].sort();
    expect(await owned()).toEqual(['group:default/org', 'group:default/team-a', 'user:default/jdoe']);
    const refresh = () =>
      b.fetch('/api/catalog/refresh', {
        method: 'POST',
        headers: { ...cookieOf(secret), 'content-type': 'application/json' },
        body: JSON.stringify({ entityRef: 'user:default/jdoe' }),
      });
    fs.writeFileSync(path.join(dir, 'org.yaml'), USERS_YAML.replace('spec: { memberOf: [team-a] }', 'spec: { memberOf: [] }'));
    try {
      expect((await refresh()).status).toBeLessThan(300);
      await waitFor(async () => expect(await owned()).toEqual(['user:default/jdoe']), { timeoutMs: 30_000, message: 'jdoe left team-a' });
    } finally {
      fs.writeFileSync(path.join(dir, 'org.yaml'), USERS_YAML);
      await refresh();
    }
    await waitFor(async () => expect(await owned()).toEqual(['group:default/org', 'group:default/team-a', 'user:default/jdoe']), {
      timeoutMs: 30_000,
      message: 'jdoe is back in team-a',
    });
  });

  it('a User or Group registered through the API confers no membership (only configured locations do)', async () => {
    fs.writeFileSync(
      path.join(dir, 'sneaky.yaml'),
      `apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: sneaky }
spec: { type: team, parent: org, children: [], members: [asmith] }
`,
    );
    const added = await b.json('/api/catalog/locations', { method: 'POST', body: { type: 'file', target: path.join(dir, 'sneaky.yaml') } });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    await waitFor(async () => (await b.fetch('/api/catalog/entities/by-name/group/default/sneaky')).status === 200, {
      timeoutMs: 30_000,
      message: 'the registered group is in the catalog',
    });
    const asmith = await b.json<{ relations: Array<{ type: string; targetRef: string }> }>('/api/catalog/entities/by-name/user/default/asmith');
    expect(asmith.body.relations).toContainEqual(expect.objectContaining({ type: 'memberOf', targetRef: 'group:default/sneaky' }));
    const { secret } = await b.backend.auth.sessions.create('user:default/asmith');
    const me = await b.json<{ ownershipEntityRefs: string[] }>('/api/auth/me', { headers: cookieOf(secret) });
    expect(me.body.ownershipEntityRefs).toEqual(['user:default/asmith']);
  });

  it('a forged cookie is no session: the guest, and the response clears the cookie', async () => {
    const res = await b.fetch('/api/auth/me', { headers: cookieOf('forged-value-that-names-no-session') });
    expect(res.status).toBe(200);
    expect((await res.json()).type).toBe('guest');
    expect(res.headers.get('set-cookie')).toMatch(new RegExp(`^${SESSION_COOKIE}=; Max-Age=0;.*HttpOnly.*SameSite=Lax`, 'i'));
  });

  it('a session ends after the idle time, and after the absolute lifetime however much it is used', async () => {
    const idle = await b.backend.auth.sessions.create('user:default/jdoe');
    const busy = await b.backend.auth.sessions.create('user:default/jdoe');
    const who = async (secret: string) => (await b.json<{ type: string }>('/api/auth/me', { headers: cookieOf(secret) })).body.type;
    clock.advanceMinutes(50);
    expect(await who(busy.secret)).toBe('user');
    clock.advanceMinutes(20); // idle: 70 minutes unused > 60
    expect(await who(idle.secret)).toBe('guest');
    expect(await who(busy.secret)).toBe('user'); // used 20 minutes ago
    clock.advanceMinutes(40);
    expect(await who(busy.secret)).toBe('user'); // 110 minutes after sign-in
    clock.advanceMinutes(15);
    expect(await who(busy.secret)).toBe('guest'); // 125 minutes > maxHours 2, used 15 minutes ago
    const res = await b.fetch('/api/auth/me', { headers: cookieOf(idle.secret) });
    expect(res.headers.get('set-cookie')).toMatch(/Max-Age=0/);
  });

  it('a new sign-in replaces the session it came with (rotation)', async () => {
    const first = await b.backend.auth.sessions.create('user:default/jdoe');
    const second = await b.backend.auth.sessions.create('user:default/jdoe', { replacing: first.secret });
    expect(second.secret).not.toBe(first.secret);
    expect((await b.json<{ type: string }>('/api/auth/me', { headers: cookieOf(first.secret) })).body.type).toBe('guest');
    expect((await b.json<{ type: string }>('/api/auth/me', { headers: cookieOf(second.secret) })).body.type).toBe('user');
  });

  it('lists my sessions, signs one out, signs out this browser, and signs out everywhere', async () => {
    await b.backend.auth.sessions.revokeAll('user:default/asmith');
    const one = await b.backend.auth.sessions.create('user:default/asmith', { userAgent: 'laptop' });
    const two = await b.backend.auth.sessions.create('user:default/asmith', { userAgent: 'phone' });
    const three = await b.backend.auth.sessions.create('user:default/asmith', { userAgent: 'tablet' });
    const list = await b.json<{ items: Array<{ id: string; userAgent: string; current: boolean }> }>('/api/auth/sessions', { headers: cookieOf(one.secret) });
    expect(list.body.items.map((s) => [s.userAgent, s.current]).sort()).toEqual([
      ['laptop', true],
      ['phone', false],
      ['tablet', false],
    ]);
    expect(JSON.stringify(list.body)).not.toContain(one.secret);

    expect((await b.fetch(`/api/auth/sessions/${two.session.id}`, { method: 'DELETE', headers: cookieOf(one.secret) })).status).toBe(204);
    expect((await b.json<{ type: string }>('/api/auth/me', { headers: cookieOf(two.secret) })).body.type).toBe('guest');
    // Another user's session is not mine to end.
    const other = await b.backend.auth.sessions.create('user:default/jdoe');
    expect((await b.fetch(`/api/auth/sessions/${other.session.id}`, { method: 'DELETE', headers: cookieOf(one.secret) })).status).toBe(404);
    expect((await b.json<{ type: string }>('/api/auth/me', { headers: cookieOf(other.secret) })).body.type).toBe('user');
    expect((await b.fetch('/api/auth/sessions/not-a-uuid', { method: 'DELETE', headers: cookieOf(one.secret) })).status).toBe(400);

    const logout = await b.fetch('/api/auth/logout', { method: 'POST', headers: { ...cookieOf(one.secret), 'content-type': 'application/json' } });
    expect(logout.status).toBe(204);
    expect(logout.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await b.json<{ type: string }>('/api/auth/me', { headers: cookieOf(one.secret) })).body.type).toBe('guest');
    expect(audits.map((a) => a.action)).toEqual(['auth.session.revoke', 'auth.logout']);

    const everywhere = await b.json<{ revoked: number }>('/api/auth/sessions', { method: 'DELETE', headers: cookieOf(three.secret) });
    expect(everywhere.body).toEqual({ revoked: 1 });
    expect((await b.json<{ type: string }>('/api/auth/me', { headers: cookieOf(three.secret) })).body.type).toBe('guest');
  });

  it('a cross-site page cannot sign a browser out or mint a token with its cookie', async () => {
    const { secret } = await b.backend.auth.sessions.create('user:default/jdoe');
    const crossSite = await b.fetch('/api/auth/logout', {
      method: 'POST',
      headers: { ...cookieOf(secret), 'content-type': 'application/json', origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
    const formPost = await b.fetch('/api/auth/tokens', {
      method: 'POST',
      headers: { ...cookieOf(secret), 'content-type': 'text/plain' },
      body: '{"name":"x","scopes":["read"],"expiresInDays":1}',
    });
    expect(formPost.status).toBe(415);
    expect((await b.json<{ type: string }>('/api/auth/me', { headers: cookieOf(secret) })).body.type).toBe('user');
    expect(audits).toEqual([]);
  });

  it('an API token is shown once, stored hashed, and acts as its owner within its scopes', async () => {
    const { secret: session } = await b.backend.auth.sessions.create('user:default/jdoe');
    const created = await b.json<{ token: { id: string; kind: string; scopes: string[] }; secret: string }>('/api/auth/tokens', {
      method: 'POST',
      headers: cookieOf(session),
      body: { name: 'ci', scopes: ['read'], expiresInDays: 30 },
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^atr_[A-Za-z0-9_-]{43}$/);
    expect(created.body.token).toMatchObject({ kind: 'personal', scopes: ['read'] });
    expect(audits.map((a) => [a.action, a.target])).toEqual([['auth.token.create', created.body.token.id]]);
    expect(JSON.stringify(audits)).not.toContain(created.body.secret);

    // Only its sha256 is stored; listing never shows the secret again.
    const db = await b.backend.database.forSchema('atrium_auth');
    const row = await db('api_tokens').where({ id: created.body.token.id }).first();
    expect(row.secret_hash).toBe(createHash('sha256').update(created.body.secret).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(created.body.secret.slice(4));
    const listed = await b.json<{ items: Array<{ id: string; lastUsedAt: string | null }> }>('/api/auth/tokens', { headers: cookieOf(session) });
    expect(listed.body.items.map((t) => t.id)).toContain(created.body.token.id);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret.slice(4));

    const token = created.body.secret;
    const me = await b.json<{ userEntityRef: string; scopes: string[]; via: string; ownershipEntityRefs: string[] }>('/api/auth/me', {
      headers: bearer(token),
    });
    expect(me.body).toMatchObject({ userEntityRef: 'user:default/jdoe', scopes: ['read'], via: 'token' });
    expect(me.body.ownershipEntityRefs).toContain('group:default/org');
    expect((await b.json('/api/probe/things', { headers: bearer(token) })).status).toBe(200);
    expect((await b.json<{ lastUsedAt: string }>(`/api/auth/tokens`, { headers: bearer(token) })).status).toBe(200);
    expect((await db('api_tokens').where({ id: created.body.token.id }).first()).last_used_at).not.toBeNull();

    // Outside its scopes: 403, not 401, naming the permission.
    const write = await b.json<{ error: { name: string; message: string } }>('/api/probe/things', { method: 'POST', headers: bearer(token) });
    expect(write.status).toBe(403);
    expect(write.body.error.message).toContain('probe.thing.create');
    const mint = await b.json('/api/auth/tokens', { method: 'POST', headers: bearer(token), body: { name: 'more', scopes: ['read'], expiresInDays: 1 } });
    expect(mint.status).toBe(403);

    // Revoked: 401 with a clear message.
    expect((await b.fetch(`/api/auth/tokens/${created.body.token.id}`, { method: 'DELETE', headers: cookieOf(session) })).status).toBe(204);
    const after = await b.json<{ error: { name: string; message: string } }>('/api/probe/things', { headers: bearer(token) });
    expect(after.status).toBe(401);
    expect(after.body.error.message).toMatch(/"ci".*was revoked/);
    // The 403s above are audited too (permission.denied); this test is about the token's own records.
    expect(audits.map((a) => a.action).filter((action) => action.startsWith('auth.token.'))).toEqual(['auth.token.create', 'auth.token.revoke']);
  });

  it('a token with a named permission may do exactly that; an expired or unknown token is 401', async () => {
    const { secret: session } = await b.backend.auth.sessions.create('user:default/jdoe');
    const created = await b.json<{ secret: string }>('/api/auth/tokens', {
      method: 'POST',
      headers: cookieOf(session),
      body: { name: 'writer', scopes: ['probe.thing.create'], expiresInDays: 1 },
    });
    expect((await b.json('/api/probe/things', { method: 'POST', headers: bearer(created.body.secret) })).status).toBe(201);
    expect((await b.json('/api/probe/things', { headers: bearer(created.body.secret) })).status).toBe(403);
    clock.advanceMinutes(24 * 60 + 1);
    const expired = await b.json<{ error: { message: string } }>('/api/probe/things', { method: 'POST', headers: bearer(created.body.secret) });
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toMatch(/expired/);
    expect((await b.json('/api/auth/me', { headers: bearer('atr_' + 'x'.repeat(43)) })).status).toBe(401);
    expect((await b.json('/api/auth/me', { headers: bearer('some-jwt') })).status).toBe(401);
  });

  it('service tokens belong to a group of the caller; bad input is refused with nothing created', async () => {
    const { secret: session } = await b.backend.auth.sessions.create('user:default/jdoe');
    const service = await b.json<{ token: { kind: string; ownerRef: string }; secret: string }>('/api/auth/tokens', {
      method: 'POST',
      headers: cookieOf(session),
      body: { name: 'deployer', scopes: ['read'], expiresInDays: 7, ownerRef: 'group:default/team-a' },
    });
    expect(service.status).toBe(201);
    expect(service.body.token).toMatchObject({ kind: 'service', ownerRef: 'group:default/team-a' });
    expect((await b.json<{ type: string; userEntityRef: string }>('/api/auth/me', { headers: bearer(service.body.secret) })).body).toMatchObject({
      type: 'service',
      userEntityRef: 'group:default/team-a',
    });
    const db = await b.backend.database.forSchema('atrium_auth');
    const before = Number((await db('api_tokens').count({ n: '*' }))[0]!.n);
    const notMine = await b.json('/api/auth/tokens', {
      method: 'POST',
      headers: cookieOf(session),
      body: { name: 'x', scopes: ['read'], expiresInDays: 7, ownerRef: 'group:default/elsewhere' },
    });
    expect(notMine.status).toBe(403);
    const bad = await b.json<{ error: { message: string } }>('/api/auth/tokens', {
      method: 'POST',
      headers: cookieOf(session),
      body: { name: '', scopes: [], expiresInDays: 9999 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/name|scopes|expiresInDays/);
    const asGuest = await b.json('/api/auth/tokens', { method: 'POST', body: { name: 'x', scopes: ['read'], expiresInDays: 7 } });
    expect(asGuest.status).toBe(401);
    expect(Number((await db('api_tokens').count({ n: '*' }))[0]!.n)).toBe(before);
  });
});

describe('guest sign-in turned off', () => {
  let b: TestBackend;
  let dir: string;
  beforeAll(async () => {
    dir = catalogDir();
    b = await startWithCatalog({ database: 'pglite', dir, auth: { providers: { guest: { enabled: false } } } });
  }, 60_000);
  afterAll(async () => {
    await b?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers 401 without a session or token, and to a forged cookie (clearing it)', async () => {
    const none = await b.json<{ error: { name: string } }>('/api/probe/things');
    expect(none).toMatchObject({ status: 401, body: { error: { name: 'AuthenticationError' } } });
    const forged = await b.fetch('/api/probe/things', { headers: cookieOf('forged') });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    const { secret } = await b.backend.auth.sessions.create('user:default/jdoe');
    expect((await b.json('/api/probe/things', { headers: cookieOf(secret) })).status).toBe(200);
  });

  it('rate-limits the /api/auth mutations per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) {
      statuses.push((await b.fetch('/api/auth/logout', { method: 'POST', headers: { 'content-type': 'application/json' } })).status);
    }
    expect(statuses.slice(0, 30).every((s) => s === 204)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
  });
});

describe.skipIf(!testPostgresUrl())('two replicas on one Postgres', () => {
  let a: TestBackend;
  let c: TestBackend;
  let dir: string;
  let drop: () => Promise<void>;
  let dbUrl: string;
  beforeAll(async () => {
    const db = await createTestPostgresDatabase();
    drop = db.drop;
    dbUrl = db.url;
    dir = catalogDir();
    // The auth clock stands still, so nothing cached ages out: a cached session or token is
    // refused only because a revocation was announced (on the replica itself, or by NOTIFY).
    const frozen = () => () => new Date('2026-01-05T09:00:00Z');
    a = await startWithCatalog({ database: 'postgres', postgresUrl: db.url, replicaId: 'auth-a', dir, services: [createServiceFactory(authClockRef, frozen)] });
    c = await startWithCatalog({ database: 'postgres', postgresUrl: db.url, replicaId: 'auth-b', dir, services: [createServiceFactory(authClockRef, frozen)] });
  }, 90_000);
  afterAll(async () => {
    await a?.stop();
    await c?.stop();
    await drop?.();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a session made on one is valid on the other, and a logout on one is seen by the other once announced', async () => {
    const { secret } = await a.backend.auth.sessions.create('user:default/jdoe');
    expect((await c.json<{ userEntityRef: string }>('/api/auth/me', { headers: cookieOf(secret) })).body.userEntityRef).toBe('user:default/jdoe');
    expect((await c.fetch('/api/auth/logout', { method: 'POST', headers: { ...cookieOf(secret), 'content-type': 'application/json' } })).status).toBe(204);
    await expect.poll(async () => (await a.json<{ type: string }>('/api/auth/me', { headers: cookieOf(secret) })).body.type, ANNOUNCED).toBe('guest');
  });

  it('a session or token one replica has just used (and cached) is refused there as soon as the other announces its end', async () => {
    const { secret } = await a.backend.auth.sessions.create('user:default/jdoe');
    const session = await a.backend.auth.sessions.create('user:default/asmith');
    const created = await a.json<{ token: { id: string }; secret: string }>('/api/auth/tokens', {
      method: 'POST',
      headers: cookieOf(session.secret),
      body: { name: 'cached', scopes: ['read'], expiresInDays: 1 },
    });
    // Both looked up (and cached) on a.
    expect((await a.json<{ via: string }>('/api/auth/me', { headers: cookieOf(secret) })).body.via).toBe('session');
    expect((await a.json('/api/probe/things', { headers: bearer(created.body.secret) })).status).toBe(200);
    expect((await c.fetch('/api/auth/logout', { method: 'POST', headers: { ...cookieOf(secret), 'content-type': 'application/json' } })).status).toBe(204);
    expect((await c.fetch(`/api/auth/tokens/${created.body.token.id}`, { method: 'DELETE', headers: cookieOf(session.secret) })).status).toBe(204);
    await expect.poll(async () => (await a.json<{ type: string }>('/api/auth/me', { headers: cookieOf(secret) })).body.type, ANNOUNCED).toBe('guest');
    await expect.poll(async () => (await a.json('/api/probe/things', { headers: bearer(created.body.secret) })).status, ANNOUNCED).toBe(401);
  });

  it('a lookup is cached per replica: a revocation nobody announced is not seen by the replica that cached it', async () => {
    const { secret } = await a.backend.auth.sessions.create('user:default/jdoe');
    expect((await a.json<{ via: string }>('/api/auth/me', { headers: cookieOf(secret) })).body.via).toBe('session');
    // Behind the stores' back: no announcement, so a's cached lookup stands (the clock is frozen),
    // while c, which never looked this session up, reads the table.
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    try {
      await client.query(`update atrium_auth.sessions set revoked_at = now() where secret_hash = $1`, [createHash('sha256').update(secret).digest('hex')]);
    } finally {
      await client.end();
    }
    expect((await c.json<{ type: string }>('/api/auth/me', { headers: cookieOf(secret) })).body.type).toBe('guest');
    expect((await a.json<{ via: string }>('/api/auth/me', { headers: cookieOf(secret) })).body.via).toBe('session');
    // Any announced revocation (here another user's sign-out on c) drops a's whole cache.
    const other = await c.backend.auth.sessions.create('user:default/asmith');
    expect(await c.backend.auth.sessions.revokeSecret(other.secret)).toBe(true);
    await expect.poll(async () => (await a.json<{ type: string }>('/api/auth/me', { headers: cookieOf(secret) })).body.type, ANNOUNCED).toBe('guest');
  });

  it('a token revoked on one is refused by the other once announced', async () => {
    const { secret: session } = await a.backend.auth.sessions.create('user:default/jdoe');
    const created = await a.json<{ token: { id: string }; secret: string }>('/api/auth/tokens', {
      method: 'POST',
      headers: cookieOf(session),
      body: { name: 'ci', scopes: ['read'], expiresInDays: 1 },
    });
    expect((await c.json('/api/probe/things', { headers: bearer(created.body.secret) })).status).toBe(200);
    expect((await c.fetch(`/api/auth/tokens/${created.body.token.id}`, { method: 'DELETE', headers: cookieOf(session) })).status).toBe(204);
    await expect.poll(async () => (await a.json('/api/probe/things', { headers: bearer(created.body.secret) })).status, ANNOUNCED).toBe(401);
  });
});
