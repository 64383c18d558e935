// @vitest-environment jsdom
import { click, waitFor, type RenderResult } from '@atrium/ui/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installFakeFetch } from '../testing/fakeFetch';
import { byText, renderApp } from '../testing/renderApp';
import { UserMenu } from './UserMenu';

let rendered: RenderResult | undefined;
afterEach(async () => {
  await rendered?.unmount();
  vi.unstubAllGlobals();
});

const amara = {
  type: 'user',
  userEntityRef: 'user:default/amara.okafor',
  ownershipEntityRefs: ['user:default/amara.okafor'],
  displayName: 'amara.okafor',
  via: 'session',
};

describe('UserMenu', () => {
  it("shows the signed-in user's catalog name and initials, links to their entity, and signs out", async () => {
    const fake = installFakeFetch({
      'GET /api/auth/me': { body: amara },
      'POST /api/catalog/entities/by-refs': {
        body: { items: [{ metadata: { name: 'amara.okafor' }, spec: { profile: { displayName: 'Amara Okafor', email: 'amara@acme.example' } } }] },
      },
      'POST /api/auth/logout': { status: 204 },
    });
    const navigate = vi.fn();
    rendered = await renderApp(<UserMenu navigate={navigate} />);
    const page = rendered.container;
    await waitFor(() => expect(page.querySelector('button[aria-label="Account: Amara Okafor"]')).not.toBeNull());
    expect(page.textContent).toContain('AO');
    await click(page.querySelector('button[aria-label="Account: Amara Okafor"]'));
    await waitFor(() => expect(document.body.textContent).toContain('Signed in as Amara Okafor'));
    expect(byText(document.body, 'a', 'My profile')?.getAttribute('href')).toBe('/catalog/default/user/amara.okafor');
    expect(byText(document.body, 'a', 'Settings')?.getAttribute('href')).toBe('/settings');
    await click(byText(document.body, 'button', 'Sign out'));
    await waitFor(() => expect(navigate).toHaveBeenCalledWith('/sign-in'));
    expect(fake.calls.filter((c) => c.method === 'POST').map((c) => c.url)).toContain('/api/auth/logout');
  });

  it('shows the guest, with "Sign in" when a provider is configured and no "Sign out"', async () => {
    installFakeFetch({
      'GET /api/auth/me': { body: { type: 'guest', userEntityRef: 'user:default/guest', ownershipEntityRefs: [], displayName: 'Guest', via: 'guest' } },
      'GET /api/auth/providers': { body: { guest: true, providers: [{ id: 'oidc', title: 'Okta', startUrl: '/api/auth/oidc/start' }] } },
    });
    rendered = await renderApp(<UserMenu />, '/catalog');
    const page = rendered.container;
    await waitFor(() => expect(page.querySelector('button[aria-label="Account: Guest"]')).not.toBeNull());
    await click(page.querySelector('button[aria-label="Account: Guest"]'));
    await waitFor(() => expect(byText(document.body, 'a', 'Sign in')?.getAttribute('href')).toBe('/sign-in?returnTo=%2Fcatalog'));
    expect(byText(document.body, 'button', 'Sign out')).toBeNull();
    expect(byText(document.body, 'a', 'My profile')).toBeNull();
  });

  it('falls back to the ref when the catalog has no such user', async () => {
    installFakeFetch({ 'GET /api/auth/me': { body: amara }, 'POST /api/catalog/entities/by-refs': { body: { items: [null] } } });
    rendered = await renderApp(<UserMenu />);
    await waitFor(() => expect(rendered?.container.querySelector('button[aria-label="Account: amara.okafor"]')).not.toBeNull());
  });
});
