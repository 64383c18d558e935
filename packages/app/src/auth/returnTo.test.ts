import { describe, expect, it } from 'vitest';
import { isSignInPath, providerStartUrl, safeReturnTo, signInPathFor } from './returnTo';

describe('safeReturnTo', () => {
  it('keeps a path on this origin, with its query and hash', () => {
    expect(safeReturnTo('/catalog?kind=api#top')).toBe('/catalog?kind=api#top');
  });

  it.each(['https://elsewhere.example/x', '//elsewhere.example', '/\\elsewhere.example', 'javascript:alert(1)', '', null, '/\t/evil'])(
    'sends %j home',
    (value) => {
      expect(safeReturnTo(value)).toBe('/');
    },
  );

  it('never returns to the sign-in page itself', () => {
    expect(safeReturnTo('/sign-in?returnTo=/catalog')).toBe('/');
  });
});

describe('signInPathFor', () => {
  it('remembers where the browser was', () => {
    expect(signInPathFor('/create/tasks?x=1')).toBe('/sign-in?returnTo=%2Fcreate%2Ftasks%3Fx%3D1');
  });

  it('leaves out returnTo for the home page', () => {
    expect(signInPathFor('/')).toBe('/sign-in');
  });
});

describe('providerStartUrl', () => {
  it('appends the encoded return path', () => {
    expect(providerStartUrl('/api/auth/oidc/start', '/catalog?kind=api')).toBe('/api/auth/oidc/start?returnTo=%2Fcatalog%3Fkind%3Dapi');
    expect(providerStartUrl('/api/auth/x/start?a=1', 'https://evil.example')).toBe('/api/auth/x/start?a=1&returnTo=%2F');
  });
});

describe('isSignInPath', () => {
  it('matches the sign-in page only', () => {
    expect(isSignInPath('/sign-in')).toBe(true);
    expect(isSignInPath('/sign-inside')).toBe(false);
  });
});
