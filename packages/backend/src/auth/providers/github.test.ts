import type { Request } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHubOAuth, type FakeGitHubOAuth } from '@atrium/test-utils';
import { createLogger } from '../../host/createLogger.js';
import { githubEndpoints, githubProviderFactory } from './github.js';
import type { SignInProviderHandler } from './types.js';

// The handler driven through the provider seam against a local GitHub (real HTTP, GitHub's shapes).
const CALLBACK = 'http://localhost:7007/api/auth/github/handler/frame';
let gh: FakeGitHubOAuth;

beforeAll(async () => {
  gh = await startFakeGitHubOAuth({
    callbackUrl: CALLBACK,
    users: [
      {
        id: 583231,
        login: 'octocat',
        name: 'The Octocat',
        emails: [
          { email: 'old@example.com', primary: false, verified: true },
          { email: 'octocat@example.com', primary: true, verified: true },
        ],
      },
      { id: 99, login: 'unverified', name: null, emails: [{ email: 'maybe@example.com', primary: true, verified: false }] },
    ],
  });
});
afterAll(() => gh.stop());

function handlerFor(config: Record<string, unknown> = {}): Promise<SignInProviderHandler> {
  return githubProviderFactory.create({
    id: 'github',
    config: { clientId: gh.clientId, clientSecret: gh.clientSecret, enterpriseInstanceUrl: gh.url, ...config },
    configPath: 'test-config.yaml: auth.providers.github.development',
    callbackUrl: CALLBACK,
    logger: createLogger('silent'),
  });
}

/** The request the browser makes to the callback, as Express hands it over (only `query` is read). */
function callbackRequest(location: string): Request {
  return { method: 'GET', query: Object.fromEntries(new URL(location).searchParams), headers: {} } as unknown as Request;
}

async function signIn(handler: SignInProviderHandler, login: string, state = 's-123') {
  gh.signInAs(login);
  const { redirectUrl, transaction } = await handler.start({ state, req: {} as Request });
  const location = await gh.approve(redirectUrl);
  return handler.handleCallback({ req: callbackRequest(location), transaction: transaction ?? {} });
}

describe('GitHub sign-in', () => {
  it('sends the browser to GitHub with the client id, callback, scopes and state', async () => {
    const { redirectUrl } = await (await handlerFor()).start({ state: 'st4te', req: {} as Request });
    const url = new URL(redirectUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${gh.url}/login/oauth/authorize`);
    expect(url.searchParams.get('client_id')).toBe(gh.clientId);
    expect(url.searchParams.get('redirect_uri')).toBe(CALLBACK);
    expect(url.searchParams.get('scope')).toBe('read:user user:email');
    expect(url.searchParams.get('state')).toBe('st4te');
    const more = await (await handlerFor({ additionalScopes: ['read:org', 'user:email'] })).start({ state: 's', req: {} as Request });
    expect(new URL(more.redirectUrl).searchParams.get('scope')).toBe('read:user user:email read:org');
  });

  it('returns the profile: id, login, verified primary email, name, avatar', async () => {
    const profile = await signIn(await handlerFor(), 'octocat');
    expect(profile).toMatchObject({
      subject: '583231',
      username: 'octocat',
      email: 'octocat@example.com',
      emailVerified: true,
      displayName: 'The Octocat',
      picture: `${gh.url}/avatars/u/583231?v=4`,
    });
    expect(profile.claims['login']).toBe('octocat');
    // The code went back with the client's secret and the same redirect_uri, as GitHub requires.
    expect(gh.tokenRequests.at(-1)).toMatchObject({ client_id: gh.clientId, client_secret: gh.clientSecret, redirect_uri: CALLBACK });
  });

  it('never takes an unverified primary email', async () => {
    const profile = await signIn(await handlerFor(), 'unverified');
    expect(profile.subject).toBe('99');
    expect(profile.email).toBeUndefined();
    expect(profile.emailVerified).toBeUndefined();
    expect(profile.displayName).toBeUndefined();
  });

  it('refuses a wrong code (GitHub answers 200 with bad_verification_code)', async () => {
    const handler = await handlerFor();
    await expect(handler.handleCallback({ req: callbackRequest(`${CALLBACK}?code=nope&state=s`), transaction: {} })).rejects.toMatchObject({
      statusCode: 401,
      message: expect.stringContaining('bad_verification_code') as unknown as string,
    });
  });

  it('refuses a replayed code', async () => {
    const handler = await handlerFor();
    gh.signInAs('octocat');
    const { redirectUrl } = await handler.start({ state: 's', req: {} as Request });
    const location = await gh.approve(redirectUrl);
    await handler.handleCallback({ req: callbackRequest(location), transaction: {} });
    await expect(handler.handleCallback({ req: callbackRequest(location), transaction: {} })).rejects.toThrow(/bad_verification_code/);
  });

  it('refuses when the client secret is wrong, naming the config', async () => {
    const handler = await handlerFor({ clientSecret: 'wrong' });
    await expect(signIn(handler, 'octocat')).rejects.toThrow(/auth\.providers\.github\.development.*incorrect_client_credentials/);
  });

  it('reports a denied consent and a callback without a code', async () => {
    const handler = await handlerFor();
    await expect(
      handler.handleCallback({ req: callbackRequest(`${CALLBACK}?error=access_denied&error_description=denied&state=s`), transaction: {} }),
    ).rejects.toThrow(/access_denied \(denied\)/);
    await expect(handler.handleCallback({ req: callbackRequest(`${CALLBACK}?state=s`), transaction: {} })).rejects.toThrow(/no code/);
  });

  it('signs in without an email when the token may not read /user/emails', async () => {
    const handler = await handlerFor();
    gh.signInAs('octocat');
    const { redirectUrl } = await handler.start({ state: 's', req: {} as Request });
    const narrowed = new URL(redirectUrl);
    narrowed.searchParams.set('scope', 'read:user'); // as if the person or an org policy granted less
    const profile = await handler.handleCallback({ req: callbackRequest(await gh.approve(narrowed.toString())), transaction: {} });
    expect(profile).toMatchObject({ subject: '583231', username: 'octocat' });
    expect(profile.email).toBeUndefined();
  });

  it('says which GitHub it cannot reach (401) when the server is down', async () => {
    const down = await startFakeGitHubOAuth({ callbackUrl: CALLBACK });
    const url = down.url;
    await down.stop();
    const handler = await handlerFor({ enterpriseInstanceUrl: url });
    await expect(handler.handleCallback({ req: callbackRequest(`${CALLBACK}?code=abc&state=s`), transaction: {} })).rejects.toMatchObject({
      statusCode: 401,
      message: expect.stringContaining(`cannot reach ${url}`) as unknown as string,
    });
  });

  it('uses github.com, or an Enterprise Server with its API under /api/v3', () => {
    expect(githubEndpoints()).toEqual({ webUrl: 'https://github.com', apiUrl: 'https://api.github.com' });
    expect(githubEndpoints('https://ghe.example.com/')).toEqual({ webUrl: 'https://ghe.example.com', apiUrl: 'https://ghe.example.com/api/v3' });
  });
});
