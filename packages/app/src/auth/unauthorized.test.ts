import { ApiError } from '@atrium/frontend-plugin-api';
import { describe, expect, it } from 'vitest';
import { createSignInRedirect, type BrowserLocation } from './unauthorized';

const error = (status: number) => new ApiError({ message: 'x', status, method: 'GET', url: '/api/x' });

function fakeLocation(pathname: string, search = ''): BrowserLocation & { assigned: string[] } {
  const assigned: string[] = [];
  return { pathname, search, hash: '', assigned, assign: (url) => void assigned.push(url) };
}

describe('createSignInRedirect', () => {
  it('sends a 401 to sign-in with the current page as returnTo, once', () => {
    const location = fakeLocation('/catalog', '?kind=api');
    const redirect = createSignInRedirect(location);
    redirect(error(401));
    redirect(error(401));
    expect(location.assigned).toEqual(['/sign-in?returnTo=%2Fcatalog%3Fkind%3Dapi']);
  });

  it('ignores other errors', () => {
    const location = fakeLocation('/catalog');
    const redirect = createSignInRedirect(location);
    redirect(error(403));
    redirect(error(500));
    redirect(new Error('boom'));
    expect(location.assigned).toEqual([]);
  });

  it('does not redirect from the sign-in page (no loop)', () => {
    const location = fakeLocation('/sign-in', '?returnTo=%2Fcatalog');
    createSignInRedirect(location)(error(401));
    expect(location.assigned).toEqual([]);
  });
});
