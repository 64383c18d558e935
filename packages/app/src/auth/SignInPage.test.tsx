// @vitest-environment jsdom
import { waitFor, type RenderResult } from '@atrium/ui/testing';
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installFakeFetch } from '../testing/fakeFetch';
import { renderApp } from '../testing/renderApp';
import { SignInPage } from './SignInPage';

let rendered: RenderResult | undefined;
afterEach(async () => {
  await rendered?.unmount();
  vi.unstubAllGlobals();
});

const at = async (path: string) => {
  rendered = await renderApp(
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
    </Routes>,
    path,
  );
  return rendered.container;
};

describe('SignInPage', () => {
  it('lists each provider as a link to its start URL carrying returnTo, and the guest', async () => {
    installFakeFetch({
      'GET /api/auth/providers': {
        body: {
          guest: true,
          providers: [
            { id: 'oidc', title: 'Okta', startUrl: '/api/auth/oidc/start' },
            { id: 'github', title: 'GitHub', startUrl: '/api/auth/github/start' },
          ],
        },
      },
    });
    const page = await at('/sign-in?returnTo=%2Fcatalog%3Fkind%3Dapi');
    await waitFor(() => expect(page.textContent).toContain('Sign in with Okta'));
    const links = [...page.querySelectorAll('a')].map((a) => [a.textContent, a.getAttribute('href')]);
    expect(links).toEqual([
      ['Sign in with Okta', '/api/auth/oidc/start?returnTo=%2Fcatalog%3Fkind%3Dapi'],
      ['Sign in with GitHub', '/api/auth/github/start?returnTo=%2Fcatalog%3Fkind%3Dapi'],
      ['Continue as guest', '/catalog?kind=api'],
    ]);
    expect(page.querySelector('h1')?.textContent).toBe('Sign in');
    expect(document.title).toBe('Sign in · Atrium');
  });

  it('refuses a returnTo on another site', async () => {
    installFakeFetch({ 'GET /api/auth/providers': { body: { guest: false, providers: [{ id: 'oidc', title: 'Okta', startUrl: '/api/auth/oidc/start' }] } } });
    const page = await at('/sign-in?returnTo=https%3A%2F%2Fevil.example');
    await waitFor(() => expect(page.querySelector('a')?.getAttribute('href')).toBe('/api/auth/oidc/start?returnTo=%2F'));
    expect(page.textContent).not.toContain('guest');
  });

  it('shows why the last sign-in failed', async () => {
    installFakeFetch({ 'GET /api/auth/providers': { body: { guest: true, providers: [] } } });
    const page = await at('/sign-in?error=No+catalog+user+matches+alice%40example.com');
    await waitFor(() => expect(page.querySelector('[role="alert"]')?.textContent).toContain('No catalog user matches alice@example.com'));
  });

  it('says when nothing is configured', async () => {
    installFakeFetch({ 'GET /api/auth/providers': { body: { guest: false, providers: [] } } });
    const page = await at('/sign-in');
    await waitFor(() => expect(page.textContent).toContain('No way to sign in is configured'));
  });

  it('shows the error when the options cannot load', async () => {
    installFakeFetch({ 'GET /api/auth/providers': { status: 503, body: { error: { name: 'ServiceUnavailableError', message: 'database down' } } } });
    const page = await at('/sign-in');
    await waitFor(() => expect(page.querySelector('[role="alert"]')?.textContent).toContain('database down'), 5_000);
  });
});
