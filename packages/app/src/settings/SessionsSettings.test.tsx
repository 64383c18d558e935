// @vitest-environment jsdom
import { click, waitFor, type RenderResult } from '@atrium/ui/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SessionInfo } from '../auth/authApi';
import { installFakeFetch } from '../testing/fakeFetch';
import { byText, renderApp } from '../testing/renderApp';
import { SessionsSettings } from './SessionsSettings';

let rendered: RenderResult | undefined;
afterEach(async () => {
  await rendered?.unmount();
  vi.unstubAllGlobals();
});

const me = { type: 'user', userEntityRef: 'user:default/alice', ownershipEntityRefs: ['user:default/alice'], displayName: 'alice', via: 'session' };
const session = (id: string, over: Partial<SessionInfo> = {}): SessionInfo => ({
  id,
  userEntityRef: 'user:default/alice',
  createdAt: '2026-01-01T00:00:00.000Z',
  lastSeenAt: '2026-01-01T01:00:00.000Z',
  expiresAt: '2099-01-01T00:00:00.000Z',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36',
  ip: '10.0.0.1',
  current: false,
  ...over,
});

describe('SessionsSettings', () => {
  it('marks this device and signs another one out', async () => {
    let items = [session('a', { current: true }), session('b', { userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1' })];
    const fake = installFakeFetch({
      'GET /api/auth/me': { body: me },
      'GET /api/auth/sessions': () => ({ body: { items } }),
      'DELETE /api/auth/sessions/b': () => {
        items = items.filter((s) => s.id !== 'b');
        return { status: 204 };
      },
    });
    rendered = await renderApp(<SessionsSettings navigate={vi.fn()} />);
    const page = rendered.container;
    await waitFor(() => expect(page.querySelectorAll('li')).toHaveLength(2));
    expect(page.querySelector('li')?.getAttribute('aria-label')).toBe('Chrome on Linux (this device)');
    await click(page.querySelector('button[aria-label="Sign out Safari on iOS"]'));
    await waitFor(() => expect(page.querySelectorAll('li')).toHaveLength(1));
    expect(fake.calls.some((c) => c.method === 'DELETE' && c.url === '/api/auth/sessions/b')).toBe(true);
  });

  it('signs out everywhere after confirming, then goes to sign-in', async () => {
    const fake = installFakeFetch({
      'GET /api/auth/me': { body: me },
      'GET /api/auth/sessions': { body: { items: [session('a', { current: true })] } },
      'DELETE /api/auth/sessions': { body: { revoked: 1 } },
    });
    const navigate = vi.fn();
    rendered = await renderApp(<SessionsSettings navigate={navigate} />);
    const page = rendered.container;
    await waitFor(() => expect(page.querySelectorAll('li')).toHaveLength(1));
    await click(byText(page, 'button', 'Sign out everywhere'));
    const buttons = [...page.querySelectorAll('button')].filter((b) => b.textContent === 'Sign out everywhere');
    await click(buttons[buttons.length - 1] ?? null);
    await waitFor(() => expect(navigate).toHaveBeenCalledWith('/sign-in'));
    expect(fake.calls.some((c) => c.method === 'DELETE' && c.url === '/api/auth/sessions')).toBe(true);
  });
});
