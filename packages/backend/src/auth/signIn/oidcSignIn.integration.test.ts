import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { coreServices, createServiceFactory, type AuditEvent } from '@atrium/backend-plugin-api';
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import {
  createTestPostgresDatabase,
  startFakeOidcProvider,
  startTestBackend,
  testDatabaseKinds,
  testPostgresUrl,
  waitFor,
  type FakeOidcProvider,
  type TestBackend,
} from '@atrium/test-utils';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authClockRef } from '../authServices.js';
import { SESSION_COOKIE } from '../hostAuth.js';
import { SIGN_IN_BINDING_COOKIE } from './signInRoutes.js';

// Ports of this file (17410-17419): the identity provider and one backend per test group;
// nothing listens on 17419 (an identity provider that is down).
const IDP_PORT = 17410;
const DOWN_PORT = 17419;
const PORTS = { pglite: 17411, postgres: 17412, replicaA: 17413, replicaB: 17414 } as const;
const CLIENT = { clientId: 'atrium-portal', clientSecret: 'a-test-client-secret' };
const callbackOf = (port: number, id: string) => `http://localhost:${port}/api/auth/${id}/handler/frame`;

const ORG_YAML = `
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: jdoe }
spec: { profile: { email: jdoe@example.com, displayName: Jane Doe }, memberOf: [team-a] }
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

// Registered through the API (not a configured location): not trusted.
const IMPOSTOR_YAML = `
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: impostor }
spec: { profile: { email: ceo@example.com }, memberOf: [] }
`;

let idp: FakeOidcProvider;

beforeAll(async () => {
  idp = await startFakeOidcProvider({
    port: IDP_PORT,
    users: [
      { sub: 'jdoe-sub', email: 'jdoe@example.com', email_verified: true, preferred_username: 'jdoe', name: 'Jane Doe' },
      { sub: 'ceo-sub', email: 'ceo@example.com', email_verified: true, preferred_username: 'ceo', name: 'The CEO' },
      { sub: 'stranger-sub', email: 'stranger@example.com', email_verified: true, preferred_username: 'stranger', name: 'A Stranger' },
    ],
    client: { ...CLIENT, redirectUris: Object.values(PORTS).flatMap((p) => [callbackOf(p, 'oidc'), callbackOf(p, 'oidc-open')]) },
  });
}, 30_000);
afterAll(async () => {
  await idp?.stop();
});

/** The auth module's clock: real time plus an offset a test moves forward (no waiting). */
const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };

async function startBackend(options: {
  database: 'pglite' | 'postgres';
  port: number;
  postgresUrl?: string;
  replicaId?: string;
  dir: string;
  audits: AuditEvent[];
}): Promise<TestBackend> {
  const provider = { clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret, metadataUrl: idp.metadataUrl, prompt: 'login' };
  const b = await startTestBackend({
    database: options.database,
    ...(options.postgresUrl ? { postgresUrl: options.postgresUrl } : {}),
    ...(options.replicaId ? { replicaId: options.replicaId } : {}),
    plugins: [catalogPlugin],
    configDir: options.dir,
    config: {
      backend: { baseUrl: `http://localhost:${options.port}`, listen: { port: options.port, host: '127.0.0.1' }, reading: { fileRoots: [options.dir] } },
      catalog: { locations: [{ type: 'file', target: './org.yaml' }] },
      auth: {
        providers: {
          guest: {},
          oidc: { title: 'Example SSO', development: { ...provider, signIn: { resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }] } } },
          // Same identity provider, but anyone it knows may sign in (with only their own ref).
          'oidc-open': {
            type: 'oidc',
            development: {
              ...provider,
              signIn: {
                resolvers: [
                  { resolver: 'emailMatchingUserEntityProfileEmail' },
                  { resolver: 'emailLocalPartMatchingUserEntityName', dangerouslyAllowSignInWithoutUserInCatalog: true },
                ],
              },
            },
          },
          // An issuer that is down: the backend still starts (discovery waits for the first sign-in).
          'oidc-down': {
            type: 'oidc',
            title: 'Down',
            development: { ...provider, metadataUrl: `http://127.0.0.1:${DOWN_PORT}/.well-known/openid-configuration` },
          },
        },
      },
    },
    services: [
      createServiceFactory(coreServices.audit, () => ({ record: (e: AuditEvent) => void options.audits.push(e) })),
      createServiceFactory(authClockRef, () => clock.now),
    ],
  });
  await waitFor(async () => (await b.fetch('/api/catalog/entities/by-name/user/default/jdoe')).status === 200, {
    timeoutMs: 30_000,
    message: 'jdoe is in the catalog',
  });
  return b;
}

function catalogDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-oidc-test-'));
  fs.writeFileSync(path.join(dir, 'org.yaml'), ORG_YAML);
  fs.writeFileSync(path.join(dir, 'impostor.yaml'), IMPOSTOR_YAML);
  return dir;
}

/** One browser: cookies for the backend, kept across requests. */
class Browser {
  cookies = new Map<string, string>();
  constructor(private readonly b: TestBackend) {}
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  async get(url: string, accept = 'application/json'): Promise<Response> {
    const res = await fetch(new URL(url, this.b.url), { redirect: 'manual', headers: { cookie: this.header(), accept } });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
      if (value && !/max-age=0/i.test(line)) this.cookies.set(name, value);
      else this.cookies.delete(name);
    }
    return res;
  }
  /** GET /start; returns the identity provider URL it redirects to. */
  async start(id = 'oidc', returnTo = '/catalog?kind=component'): Promise<string> {
    const res = await this.get(`/api/auth/${id}/start?returnTo=${encodeURIComponent(returnTo)}`);
    expect(res.status, await res.clone().text()).toBe(302);
    return res.headers.get('location')!;
  }
  /** The whole sign-in: start, log in at the identity provider as `sub`, then the callback. */
  async signIn(sub: string, id = 'oidc', returnTo?: string): Promise<Response> {
    const callback = await idp.login(await this.start(id, returnTo), sub);
    return this.get(callback);
  }
  async me(): Promise<{ type: string; userEntityRef: string; ownershipEntityRefs: string[]; via: string }> {
    return (await this.get('/api/auth/me')).json();
  }
}

async function sessionCount(b: TestBackend): Promise<number> {
  const db = await b.backend.database.forSchema('atrium_auth');
  return Number((await db('sessions').count({ n: '*' }))[0]!.n);
}

describe.each(testDatabaseKinds())('OIDC sign-in against a real OpenID provider (%s)', (database) => {
  let b: TestBackend;
  let dir: string;
  const audits: AuditEvent[] = [];

  beforeAll(async () => {
    dir = catalogDir();
    b = await startBackend({ database, port: PORTS[database], dir, audits });
  }, 90_000);
  afterAll(async () => {
    await b?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    audits.length = 0;
    idp.tamperIdToken(undefined);
  });

  it('lists the providers for the sign-in page', async () => {
    const res = await b.json('/api/auth/providers');
    expect(res).toEqual({
      status: 200,
      body: {
        guest: true,
        providers: [
          { id: 'oidc', title: 'Example SSO', startUrl: '/api/auth/oidc/start' },
          { id: 'oidc-open', title: 'OpenID Connect', startUrl: '/api/auth/oidc-open/start' },
          { id: 'oidc-down', title: 'Down', startUrl: '/api/auth/oidc-down/start' },
        ],
      },
    });
  });

  it('start sends the browser to the provider with PKCE S256, state, nonce, scope and prompt', async () => {
    const url = new URL(await new Browser(b).start());
    expect(url.origin).toBe(idp.issuer);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: CLIENT.clientId,
      response_type: 'code',
      redirect_uri: callbackOf(PORTS[database], 'oidc'),
      scope: 'openid profile email',
      code_challenge_method: 'S256',
      prompt: 'login',
    });
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(url.searchParams.get('code_challenge')).toBeTruthy();
  });

  it('an unknown provider is 404; an issuer that cannot be reached is 502 at start, audited', async () => {
    expect((await b.json('/api/auth/nope/start')).status).toBe(404);
    const down = await b.json<{ error: { message: string } }>('/api/auth/oidc-down/start');
    expect(down.status).toBe(502);
    expect(down.body.error.message).toMatch(/metadata at http:\/\/127\.0\.0\.1:17419\/\.well-known\/openid-configuration could not be read/);
    expect(audits).toContainEqual(
      expect.objectContaining({ action: 'auth.signIn.failed', meta: expect.objectContaining({ provider: 'oidc-down', reason: 'start-failed' }) }),
    );
  });

  it('a full sign-in: cookie set, back to returnTo, /me is the catalog user with its groups, audited', async () => {
    const browser = new Browser(b);
    const res = await browser.signIn('jdoe-sub', 'oidc', '/catalog?kind=component');
    expect(res.status, await res.clone().text()).toBe(302);
    expect(res.headers.get('location')).toBe('/catalog?kind=component');
    expect(res.headers.getSetCookie().join('\n')).toMatch(new RegExp(`^${SESSION_COOKIE}=[\\w-]{43}; Max-Age=\\d+; Path=/; HttpOnly; SameSite=Lax`, 'm'));
    const me = await browser.me();
    expect(me).toMatchObject({ type: 'user', userEntityRef: 'user:default/jdoe', via: 'session' });
    expect([...me.ownershipEntityRefs].sort()).toEqual(['group:default/org', 'group:default/team-a', 'user:default/jdoe']);
    expect(audits).toContainEqual(
      expect.objectContaining({
        action: 'auth.signIn',
        meta: expect.objectContaining({ provider: 'oidc', resolver: 'emailMatchingUserEntityProfileEmail', subject: 'jdoe-sub' }),
      }),
    );
  });

  it('signing in again ends the previous session of the browser (rotation)', async () => {
    const browser = new Browser(b);
    await browser.signIn('jdoe-sub');
    const first = browser.cookies.get(SESSION_COOKIE)!;
    await browser.signIn('jdoe-sub');
    expect(browser.cookies.get(SESSION_COOKIE)).not.toBe(first);
    expect((await b.json<{ type: string }>('/api/auth/me', { headers: { cookie: `${SESSION_COOKIE}=${first}` } })).body.type).toBe('guest');
    expect((await browser.me()).userEntityRef).toBe('user:default/jdoe');
  });

  it('returnTo outside this origin becomes /', async () => {
    for (const returnTo of ['https://elsewhere.example/x', '//elsewhere.example', '/\\elsewhere.example', 'javascript:alert(1)']) {
      const res = await new Browser(b).signIn('jdoe-sub', 'oidc', returnTo);
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/');
    }
  });

  it('a wrong or replayed state is 401 (JSON for API callers, a page for browsers) and creates nothing', async () => {
    const browser = new Browser(b);
    const callback = await idp.login(await browser.start(), 'jdoe-sub');
    const before = await sessionCount(b);
    const wrong = new URL(callback);
    wrong.searchParams.set('state', 'not-a-state-we-issued');
    const wrongRes = await browser.get(wrong.href);
    expect(wrongRes.status).toBe(401);
    expect((await wrongRes.json()).error.message).toMatch(/unknown, was already used, or took longer than 10 minutes/);
    expect((await browser.get(callback)).status).toBe(302);
    const replay = await browser.get(callback, 'text/html');
    expect(replay.status).toBe(401);
    expect(replay.headers.get('content-type')).toMatch(/text\/html/);
    expect(await replay.text()).toMatch(/Sign-in failed.*already used.*href="\/sign-in"/s);
    expect(await sessionCount(b)).toBe(before + 1);
    expect(audits.filter((a) => a.action === 'auth.signIn.failed').map((a) => a.meta?.['reason'])).toEqual(['bad-state', 'bad-state']);
  });

  it('a callback from another browser than the one that started is refused', async () => {
    const callback = await idp.login(await new Browser(b).start(), 'jdoe-sub');
    const res = await new Browser(b).get(callback);
    expect(res.status).toBe(401);
    expect((await res.json()).error.message).toMatch(/started in another browser/);
  });

  it('a replayed authorization code is refused by the provider: 401, no session', async () => {
    const browser = new Browser(b);
    const first = await idp.login(await browser.start(), 'jdoe-sub');
    expect((await browser.get(first)).status).toBe(302);
    // A second sign-in's valid state, carrying the first one's (spent) code.
    const second = new URL(await idp.login(await browser.start(), 'jdoe-sub'));
    second.searchParams.set('code', new URL(first).searchParams.get('code')!);
    const before = await sessionCount(b);
    const res = await browser.get(second.href);
    expect(res.status).toBe(401);
    expect((await res.json()).error.message).toMatch(/invalid_grant/);
    expect(await sessionCount(b)).toBe(before);
  });

  const badTokens: Array<[string, Parameters<FakeOidcProvider['tamperIdToken']>[0], RegExp]> = [
    ['a wrong nonce', { claims: { nonce: 'a-nonce-of-another-sign-in' } }, /nonce/],
    ['a wrong issuer', { claims: { iss: 'https://evil.example' } }, /iss/],
    ['a wrong audience', { claims: { aud: 'another-client' } }, /aud/],
    ['an expired token', { claims: { exp: Math.floor(Date.now() / 1000) - 3600, iat: Math.floor(Date.now() / 1000) - 7200 } }, /exp/],
    ['alg none', { sign: 'none' }, /alg|signature|JWS/i],
    ['HS256 signed with the public key', { sign: 'HS256-public-key' }, /alg/],
  ];
  it.each(badTokens)('an ID token with %s is refused: 401, no session, audited', async (_what, tamper, message) => {
    idp.tamperIdToken(tamper);
    const before = await sessionCount(b);
    const res = await new Browser(b).signIn('jdoe-sub');
    expect(res.status).toBe(401);
    expect((await res.json()).error.message).toMatch(message);
    expect(await sessionCount(b)).toBe(before);
    expect(audits).toContainEqual(
      expect.objectContaining({
        action: 'auth.signIn.failed',
        outcome: 'failed',
        meta: expect.objectContaining({ provider: 'oidc', reason: 'provider-refused' }),
      }),
    );
  });

  it('an identity no catalog User matches is refused with a clear message; with dangerouslyAllow… it signs in owning only itself', async () => {
    const refused = await new Browser(b).signIn('stranger-sub');
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.message).toMatch(/No catalog User matches stranger@example\.com.*Ask an administrator/);
    // A browser gets a page whose link goes back to the sign-in page, keeping where it was going.
    const browser0 = new Browser(b);
    const page = await browser0.get(await idp.login(await browser0.start('oidc', '/catalog'), 'stranger-sub'), 'text/html');
    expect(page.status).toBe(401);
    expect(await page.text()).toMatch(/No catalog User matches stranger@example\.com.*href="\/sign-in\?returnTo=%2Fcatalog"/s);
    expect(audits).toContainEqual(expect.objectContaining({ action: 'auth.signIn.failed', meta: expect.objectContaining({ reason: 'no-matching-user' }) }));
    const browser = new Browser(b);
    expect((await browser.signIn('stranger-sub', 'oidc-open')).status).toBe(302);
    const me = await browser.me();
    expect(me).toMatchObject({ type: 'user', userEntityRef: 'user:default/stranger', ownershipEntityRefs: ['user:default/stranger'] });
    expect(audits).toContainEqual(
      expect.objectContaining({
        action: 'auth.signIn',
        meta: expect.objectContaining({ resolver: 'dangerouslyAllowSignInWithoutUserInCatalog', inCatalog: false }),
      }),
    );
  });

  it('a User registered through the API with someone else’s email is never matched by email', async () => {
    const added = await b.json('/api/catalog/locations', { method: 'POST', body: { type: 'file', target: path.join(dir, 'impostor.yaml') } });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    await waitFor(async () => (await b.fetch('/api/catalog/entities/by-name/user/default/impostor')).status === 200, {
      timeoutMs: 30_000,
      message: 'the impostor is in the catalog',
    });
    const res = await new Browser(b).signIn('ceo-sub');
    expect(res.status).toBe(401);
    expect((await res.json()).error.message).toMatch(/No catalog User matches ceo@example\.com/);
  });

  it('a sign-in finished more than 10 minutes after it started is refused', async () => {
    const browser = new Browser(b);
    const callback = await idp.login(await browser.start(), 'jdoe-sub');
    clock.offsetMs += 11 * 60_000;
    try {
      const res = await browser.get(callback);
      expect(res.status).toBe(401);
      expect((await res.json()).error.message).toMatch(/took longer than 10 minutes/);
    } finally {
      clock.offsetMs -= 11 * 60_000;
    }
  });

  it('1,000 sign-in attempts a minute from one address: the excess is 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 1000; i += 50) {
      statuses.push(...(await Promise.all(Array.from({ length: 50 }, async () => (await b.fetch('/api/auth/oidc/handler/frame?state=guess')).status))));
    }
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(60);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(940);
    expect((await b.fetch('/api/auth/oidc/start')).status).toBe(429);
  });
});

describe.skipIf(!testPostgresUrl())('OIDC sign-in with two replicas on one Postgres', () => {
  let a: TestBackend;
  let c: TestBackend;
  let dir: string;
  let drop: () => Promise<void>;
  const audits: AuditEvent[] = [];
  beforeAll(async () => {
    const db = await createTestPostgresDatabase();
    drop = db.drop;
    dir = catalogDir();
    a = await startBackend({ database: 'postgres', port: PORTS.replicaA, postgresUrl: db.url, replicaId: 'oidc-a', dir, audits });
    c = await startBackend({ database: 'postgres', port: PORTS.replicaB, postgresUrl: db.url, replicaId: 'oidc-b', dir, audits });
  }, 120_000);
  afterAll(async () => {
    await a?.stop();
    await c?.stop();
    await drop?.();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a session made on replica A is valid on B; a sign-out on A is seen by B once announced', async () => {
    const onA = new Browser(a);
    expect((await onA.signIn('jdoe-sub')).status).toBe(302);
    const onB = new Browser(c);
    onB.cookies = new Map(onA.cookies);
    expect((await onB.me()).userEntityRef).toBe('user:default/jdoe');
    const logout = await fetch(new URL('/api/auth/logout', a.url), { method: 'POST', headers: { cookie: onA.header(), 'content-type': 'application/json' } });
    expect(logout.status).toBe(204);
    // B cached the session when it served /me; A's announcement (NOTIFY) drops it within milliseconds.
    await expect.poll(async () => (await onB.me()).type, { timeout: 5_000, interval: 20 }).toBe('guest');
  });

  it('a sign-in started on A can finish on B (the transaction is in Postgres)', async () => {
    const browser = new Browser(a);
    const authUrl = new URL(await browser.start());
    // The provider redirects to A's callback; the load balancer could send it to B as well.
    const callback = new URL(await idp.login(authUrl.href, 'jdoe-sub'));
    const onB = new Browser(c);
    onB.cookies = new Map(browser.cookies);
    expect(onB.cookies.has(SIGN_IN_BINDING_COOKIE)).toBe(true);
    const res = await onB.get(callback.pathname + callback.search);
    expect(res.status).toBe(401);
    // B's callback URL differs from A's (another port here), so the provider refuses the code for B's redirect_uri:
    // the transaction itself was found on B (a state error would say so).
    expect((await res.json()).error.message).not.toMatch(/unknown, was already used/);
  });
});
