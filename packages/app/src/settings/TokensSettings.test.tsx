// @vitest-environment jsdom
import { click, waitFor, type RenderResult } from '@atrium/ui/testing';
import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TokenInfo } from '../auth/authApi';
import { installFakeFetch } from '../testing/fakeFetch';
import { byText, renderApp, typeInto } from '../testing/renderApp';
import { TokensSettings } from './TokensSettings';

let rendered: RenderResult | undefined;
afterEach(async () => {
  await rendered?.unmount();
  vi.unstubAllGlobals();
});

const alice = {
  type: 'user',
  userEntityRef: 'user:default/alice',
  ownershipEntityRefs: ['user:default/alice', 'group:default/team-a'],
  displayName: 'alice',
  via: 'session',
};
const token = (over: Partial<TokenInfo>): TokenInfo => ({
  id: '11111111-1111-4111-8111-111111111111',
  name: 'ci',
  kind: 'personal',
  ownerRef: 'user:default/alice',
  createdBy: 'user:default/alice',
  scopes: ['read'],
  createdAt: '2026-01-01T00:00:00.000Z',
  expiresAt: '2099-01-01T00:00:00.000Z',
  lastUsedAt: null,
  revokedAt: null,
  ...over,
});

describe('TokensSettings', () => {
  it('asks the guest to sign in instead of listing tokens', async () => {
    const fake = installFakeFetch({
      'GET /api/auth/me': { body: { ...alice, type: 'guest', userEntityRef: 'user:default/guest', via: 'guest' } },
      'GET /api/auth/providers': { body: { guest: true, providers: [{ id: 'oidc', title: 'Okta', startUrl: '/api/auth/oidc/start' }] } },
    });
    rendered = await renderApp(<TokensSettings />, '/settings/tokens');
    await waitFor(() => expect(byText(rendered?.container ?? document, 'a', 'Sign in')?.getAttribute('href')).toBe('/sign-in?returnTo=%2Fsettings%2Ftokens'));
    expect(rendered.container.textContent).toContain('Sign in to see API tokens');
    expect(fake.calls.map((c) => c.url)).not.toContain('/api/auth/tokens');
  });

  it('tells the guest that nobody can sign in yet when no provider is configured', async () => {
    installFakeFetch({
      'GET /api/auth/me': { body: { ...alice, type: 'guest', userEntityRef: 'user:default/guest', via: 'guest' } },
      'GET /api/auth/providers': { body: { guest: true, providers: [] } },
    });
    rendered = await renderApp(<TokensSettings />, '/settings/tokens');
    await waitFor(() => expect(rendered?.container.textContent).toContain('no sign-in provider yet'));
    expect(byText(rendered.container, 'a', 'Sign in')).toBeNull();
  });

  it('shows the empty state', async () => {
    installFakeFetch({ 'GET /api/auth/me': { body: alice }, 'GET /api/auth/tokens': { body: { items: [] } } });
    rendered = await renderApp(<TokensSettings />);
    await waitFor(() => expect(rendered?.container.textContent).toContain('No API tokens yet'));
  });

  it('creates a token and shows its secret once', async () => {
    let items: TokenInfo[] = [];
    const fake = installFakeFetch({
      'GET /api/auth/me': { body: alice },
      'GET /api/auth/tokens': () => ({ body: { items } }),
      'POST /api/auth/tokens': ({ body }) => {
        const created = token({ name: (body as { name: string }).name });
        items = [created];
        return { status: 201, body: { token: created, secret: 'atr_s3cret' } };
      },
    });
    rendered = await renderApp(<TokensSettings />);
    const page = rendered.container;
    await waitFor(() => expect(page.textContent).toContain('No API tokens yet'));
    await click(byText(page, 'button', 'New token'));
    // Nothing to send without a name.
    await click(byText(page, 'button', 'Create token'));
    expect(page.textContent).toContain('Give the token a name');
    await typeInto(page.querySelector('input[placeholder="e.g. ci-deploy"]'), 'deploy');
    await click(byText(page, 'button', 'Create token'));
    await waitFor(() => expect(page.querySelector('[data-testid="new-token-secret"]')?.textContent).toBe('atr_s3cret'));
    expect(fake.calls.find((c) => c.method === 'POST')?.body).toEqual({ name: 'deploy', scopes: ['read'], expiresInDays: 30 });
    expect(byText(page, 'button', 'Copy token')).not.toBeNull();
    await click(byText(page, 'button', 'Done'));
    await waitFor(() => expect(page.textContent).toContain('deploy'));
    expect(page.textContent).not.toContain('atr_s3cret');
    // Opening the dialog again starts a new token; the old secret is gone.
    await click(byText(page, 'button', 'New token'));
    expect(page.textContent).toContain('New API token');
    expect(page.textContent).not.toContain('atr_s3cret');
  });

  it('revokes a token after confirming', async () => {
    let items = [token({}), token({ id: '22222222-2222-4222-8222-222222222222', name: 'old', revokedAt: '2026-02-01T00:00:00.000Z' })];
    const fake = installFakeFetch({
      'GET /api/auth/me': { body: alice },
      'GET /api/auth/tokens': () => ({ body: { items } }),
      'DELETE /api/auth/tokens/11111111-1111-4111-8111-111111111111': () => {
        items = items.map((t) => (t.name === 'ci' ? { ...t, revokedAt: '2026-03-01T00:00:00.000Z' } : t));
        return { status: 204 };
      },
    });
    rendered = await renderApp(<TokensSettings />);
    const page = rendered.container;
    await waitFor(() => expect(page.querySelectorAll('li')).toHaveLength(2));
    // Only the working token can be revoked.
    expect(page.querySelectorAll('button[aria-label^="Revoke token"]')).toHaveLength(1);
    await click(page.querySelector('button[aria-label="Revoke token ci"]'));
    expect(page.textContent).toContain('stops working at once');
    await click(byText(page, 'button', 'Revoke token'));
    await waitFor(() => expect(page.querySelectorAll('button[aria-label^="Revoke token"]')).toHaveLength(0));
    expect(fake.calls.some((c) => c.method === 'DELETE')).toBe(true);
    await act(async () => {});
  });
});
