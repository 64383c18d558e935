import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import {
  startFakeGitHubOAuth,
  startFakeSamlIdp,
  startTestBackend,
  waitFor,
  type FakeGitHubOAuth,
  type FakeSamlIdp,
  type TestBackend,
} from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../hostAuth.js';

// GitHub and SAML sign-in through the real backend over real HTTP:
// /api/auth/<id>/start → the (fake) identity provider → /api/auth/<id>/handler/frame → session
// cookie → /api/auth/me. The backend listens on a fixed port so the callback URL GitHub and the
// IdP send the browser to is known before it starts.
const PORT = 17441;
const BASE = `http://127.0.0.1:${PORT}`;
const SP_ENTITY_ID = 'atrium-test-sp';

const USERS_YAML = `
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: octocat }
spec: { memberOf: [] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: ada }
spec: { profile: { email: ada@example.com, displayName: Ada Lovelace }, memberOf: [] }
`;

let dir: string;
let gh: FakeGitHubOAuth;
let idp: FakeSamlIdp;
let b: TestBackend;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-signin-test-'));
  fs.writeFileSync(path.join(dir, 'org.yaml'), USERS_YAML);
  gh = await startFakeGitHubOAuth({
    callbackUrl: `${BASE}/api/auth/github/handler/frame`,
    users: [
      { id: 583231, login: 'octocat', name: 'The Octocat', emails: [{ email: 'octocat@example.com', primary: true, verified: true }] },
      { id: 7, login: 'stranger', name: 'Not In Catalog', emails: [] },
    ],
  });
  idp = await startFakeSamlIdp({ users: [{ nameId: 'ada@example.com', email: 'ada@example.com', displayName: 'Ada Lovelace' }] });
  b = await startTestBackend({
    plugins: [catalogPlugin],
    configDir: dir,
    config: {
      backend: { baseUrl: BASE, listen: { port: PORT, host: '127.0.0.1' }, reading: { fileRoots: [dir] } },
      catalog: { locations: [{ type: 'file', target: './org.yaml' }] },
      auth: {
        environment: 'development',
        providers: {
          guest: { enabled: false },
          github: { development: { clientId: gh.clientId, clientSecret: gh.clientSecret, enterpriseInstanceUrl: gh.url } },
          saml: { development: { entryPoint: idp.ssoUrl, issuer: SP_ENTITY_ID, cert: idp.cert } },
        },
      },
    },
  });
  await waitFor(async () => (await b.fetch('/api/catalog/entities/by-name/user/default/ada', { headers: await signedInAs('octocat') })).status === 200, {
    timeoutMs: 30_000,
    message: 'the users are in the catalog',
  });
});

afterAll(async () => {
  await b?.stop();
  await gh?.stop();
  await idp?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Cookies from Set-Cookie headers, as `name=value` pairs a browser would send back. */
function cookiesOf(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const i = pair!.indexOf('=');
    out[pair!.slice(0, i)] = pair!.slice(i + 1);
  }
  return out;
}
const cookieHeader = (cookies: Record<string, string>) =>
  Object.entries(cookies)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

async function startSignIn(provider: string, returnTo = '/catalog'): Promise<{ location: string; cookies: Record<string, string> }> {
  const res = await b.fetch(`/api/auth/${provider}/start?returnTo=${encodeURIComponent(returnTo)}`, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return { location: res.headers.get('location')!, cookies: cookiesOf(res) };
}

/** The whole GitHub round trip as a browser makes it; the answer of the callback. */
async function githubCallback(login: string): Promise<{ res: Response; callbackUrl: string; cookies: Record<string, string> }> {
  gh.signInAs(login);
  const { location, cookies } = await startSignIn('github');
  const callbackUrl = await gh.approve(location);
  expect(callbackUrl.startsWith(`${BASE}/api/auth/github/handler/frame?`)).toBe(true);
  const res = await fetch(callbackUrl, { redirect: 'manual', headers: { cookie: cookieHeader(cookies) } });
  return { res, callbackUrl, cookies };
}

async function signedInAs(login: string): Promise<Record<string, string>> {
  const { res } = await githubCallback(login);
  const session = cookiesOf(res)[SESSION_COOKIE];
  if (!session) throw new Error(`no session for ${login}: ${res.status} ${await res.text()}`);
  return { cookie: `${SESSION_COOKIE}=${session}` };
}

async function me(headers: Record<string, string>) {
  return b.json<{ caller?: { userEntityRef?: string }; via?: string }>('/api/auth/me', { headers });
}

describe('sign-in providers through the backend', () => {
  it('lists GitHub and SAML on /api/auth/providers', async () => {
    const { status, body } = await b.json<unknown>('/api/auth/providers');
    expect(status).toBe(200);
    const text = JSON.stringify(body);
    expect(text).toContain('"github"');
    expect(text).toContain('"saml"');
  });

  describe('GitHub', () => {
    it('signs in: start → GitHub → handler/frame → session cookie → /api/auth/me is the catalog user with that login', async () => {
      const { res } = await githubCallback('octocat');
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toMatch(/\/catalog$/);
      const session = cookiesOf(res)[SESSION_COOKIE];
      expect(session).toBeTruthy();
      const { status, body } = await me({ cookie: `${SESSION_COOKIE}=${session}` });
      expect(status).toBe(200);
      expect(JSON.stringify(body)).toContain('user:default/octocat');
    });

    it('refuses a replayed callback (the state is single-use) and a wrong code, with 401 and no session', async () => {
      const { res, callbackUrl, cookies } = await githubCallback('octocat');
      expect(res.status).toBe(302);
      const again = await fetch(callbackUrl, { redirect: 'manual', headers: { cookie: cookieHeader(cookies), accept: 'application/json' } });
      expect(again.status).toBe(401);
      expect(cookiesOf(again)[SESSION_COOKIE]).toBeFalsy();

      gh.signInAs('octocat');
      const started = await startSignIn('github');
      const back = new URL(await gh.approve(started.location));
      back.searchParams.set('code', 'not-a-code');
      const wrong = await fetch(back, { redirect: 'manual', headers: { cookie: cookieHeader(started.cookies), accept: 'application/json' } });
      expect(wrong.status).toBe(401);
      expect(await wrong.text()).toContain('bad_verification_code');
      expect(cookiesOf(wrong)[SESSION_COOKIE]).toBeFalsy();
    });

    it('refuses a GitHub user who is not in the catalog', async () => {
      gh.signInAs('stranger');
      const { location, cookies } = await startSignIn('github');
      const res = await fetch(await gh.approve(location), { redirect: 'manual', headers: { cookie: cookieHeader(cookies), accept: 'application/json' } });
      expect(res.status).toBe(401);
      expect(cookiesOf(res)[SESSION_COOKIE]).toBeFalsy();
    });
  });

  describe('SAML', () => {
    /** The IdP's auto-posting form, POSTed the way a browser does (form encoding, the IdP's Origin). */
    const postForm = (action: string, fields: Record<string, string>) =>
      fetch(action, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: idp.url, accept: 'application/json' },
        body: new URLSearchParams(fields),
      });

    it('signs in: start → IdP (redirect binding) → POSTed assertion at handler/frame → session → /api/auth/me by email', async () => {
      const { location } = await startSignIn('saml', '/docs');
      expect(location.startsWith(`${idp.ssoUrl}?SAMLRequest=`)).toBe(true);
      const form = await idp.login(location);
      expect(form.action).toBe(`${BASE}/api/auth/saml/handler/frame`);
      const res = await postForm(form.action, form.fields);
      expect(res.status, await res.clone().text()).toBe(302);
      expect(res.headers.get('location')).toMatch(/\/docs$/);
      const session = cookiesOf(res)[SESSION_COOKIE];
      const { body } = await me({ cookie: `${SESSION_COOKIE}=${session}` });
      expect(JSON.stringify(body)).toContain('user:default/ada');

      // The same POST again: refused, no session.
      const replay = await postForm(form.action, form.fields);
      expect(replay.status).toBe(401);
      expect(cookiesOf(replay)[SESSION_COOKIE]).toBeFalsy();
    });

    it('refuses an unsigned answer and one for another audience with 401', async () => {
      for (const [make, why] of [
        [
          (id: string) =>
            idp.buildResponse({
              user: { nameId: 'ada@example.com', email: 'ada@example.com' },
              inResponseTo: id,
              audience: SP_ENTITY_ID,
              acsUrl: `${BASE}/api/auth/saml/handler/frame`,
              sign: 'none',
            }),
          /Invalid signature/,
        ],
        [
          (id: string) =>
            idp.buildResponse({
              user: { nameId: 'ada@example.com', email: 'ada@example.com' },
              inResponseTo: id,
              audience: 'someone-else',
              acsUrl: `${BASE}/api/auth/saml/handler/frame`,
            }),
          /audience mismatch/,
        ],
      ] as const) {
        const { location } = await startSignIn('saml');
        const form = await idp.login(location);
        const requestId = idp.requests.at(-1)!.id;
        const res = await postForm(form.action, { SAMLResponse: make(requestId), RelayState: form.fields.RelayState! });
        expect(res.status).toBe(401);
        expect(await res.text()).toMatch(why);
        expect(cookiesOf(res)[SESSION_COOKIE]).toBeFalsy();
      }
    });

    it('serves the SP metadata at /api/auth/saml/metadata', async () => {
      const res = await b.fetch('/api/auth/saml/metadata');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/samlmetadata+xml');
      const xml = await res.text();
      expect(xml).toContain(`entityID="${SP_ENTITY_ID}"`);
      expect(xml).toContain(`Location="${BASE}/api/auth/saml/handler/frame"`);
    });
  });
});
