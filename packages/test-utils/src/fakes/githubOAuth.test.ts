import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHubOAuth, type FakeGitHubOAuth } from './githubOAuth.js';

// The fake's answers checked against GitHub's own published description of its REST API
// (`@octokit/openapi`, api.github.com): what the fake serves is what GitHub documents.
const require = createRequire(import.meta.url);
const spec = require('@octokit/openapi/generated/api.github.com.deref.json') as {
  paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: object }> }> } }>;
};
const responseSchema = (path: string) => spec.paths[path]!.get.responses['200']!.content['application/json']!.schema;

// OpenAPI 3.0 schemas: `nullable` and `example` are OpenAPI keywords, not JSON Schema ones.
const ajv = new Ajv({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv) => void)(ajv);
ajv.addKeyword({ keyword: 'example' });

let gh: FakeGitHubOAuth;
const CALLBACK = 'http://localhost:7007/api/auth/github/handler/frame';

beforeAll(async () => {
  gh = await startFakeGitHubOAuth({
    callbackUrl: CALLBACK,
    users: [
      {
        id: 1,
        login: 'octocat',
        name: 'The Octocat',
        emails: [
          { email: 'octocat@example.com', primary: true, verified: true },
          { email: 'x@example.com', primary: false, verified: false },
        ],
      },
    ],
  });
});
afterAll(() => gh.stop());

async function token(scope = 'read:user user:email'): Promise<string> {
  const authorize = `${gh.url}/login/oauth/authorize?${new URLSearchParams({ client_id: gh.clientId, redirect_uri: CALLBACK, scope, state: 'abc' })}`;
  const back = new URL(await gh.approve(authorize));
  expect(back.searchParams.get('state')).toBe('abc');
  const res = await fetch(`${gh.url}/login/oauth/access_token`, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: gh.clientId, client_secret: gh.clientSecret, code: back.searchParams.get('code')!, redirect_uri: CALLBACK }),
  });
  const body = (await res.json()) as { access_token: string; token_type: string; scope: string };
  expect(body).toMatchObject({ token_type: 'bearer', scope: scope.split(' ').join(',') });
  return body.access_token;
}

describe('the fake GitHub', () => {
  it('answers GET /user as GitHub documents it (Private User schema), at the root and under /api/v3', async () => {
    const t = await token();
    for (const base of [gh.url, `${gh.url}/api/v3`]) {
      const res = await fetch(`${base}/user`, { headers: { authorization: `Bearer ${t}` } });
      expect(res.status).toBe(200);
      const validate = ajv.compile(responseSchema('/user'));
      const body = await res.json();
      expect(validate(body), ajv.errorsText(validate.errors)).toBe(true);
      // The schema has teeth: GitHub's user without `login`, or with a string id, is not a GitHub user.
      const { login: _login, ...withoutLogin } = body as Record<string, unknown>;
      expect(validate(withoutLogin)).toBe(false);
      expect(validate({ ...(body as object), id: '1' })).toBe(false);
    }
  });

  it('answers GET /user/emails as GitHub documents it', async () => {
    const res = await fetch(`${gh.url}/api/v3/user/emails`, { headers: { authorization: `token ${await token()}` } });
    const validate = ajv.compile(responseSchema('/user/emails'));
    const body = (await res.json()) as unknown[];
    expect(validate(body), ajv.errorsText(validate.errors)).toBe(true);
    expect(body).toHaveLength(2);
  });

  it('hides /user/emails from a token without user:email, and refuses bad tokens like GitHub', async () => {
    expect((await fetch(`${gh.url}/user/emails`, { headers: { authorization: `Bearer ${await token('read:user')}` } })).status).toBe(404);
    const bad = await fetch(`${gh.url}/user`, { headers: { authorization: 'Bearer gho_nope' } });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ message: 'Bad credentials' });
  });

  it('answers token errors with 200 and an error field, in JSON or form encoding', async () => {
    const post = (accept: string) =>
      fetch(`${gh.url}/login/oauth/access_token`, {
        method: 'POST',
        headers: { accept, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: gh.clientId, client_secret: gh.clientSecret, code: 'wrong' }),
      });
    const json = await post('application/json');
    expect(json.status).toBe(200);
    expect(await json.json()).toMatchObject({ error: 'bad_verification_code' });
    const form = await post('*/*');
    expect(new URLSearchParams(await form.text()).get('error')).toBe('bad_verification_code');
  });
});
