import { describe, expect, it } from 'vitest';
import { HostAuth, SESSION_COOKIE } from './hostAuth.js';
import type { AuthSettings } from './authConfig.js';

const settings = (secureCookies: boolean): AuthSettings => ({ guestEnabled: true, idleMs: 60_000, maxMs: 7200_000, secureCookies });
// The cookie helpers touch neither store.
const auth = (secure: boolean) => new HostAuth({} as never, {} as never, settings(secure), () => undefined);

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Lax, on the whole site, lasting the absolute lifetime; Secure only behind https', () => {
    const plain = auth(false).sessionCookie('abc');
    expect(plain).toBe(`${SESSION_COOKIE}=abc; Max-Age=7200; Path=/; HttpOnly; SameSite=Lax`);
    expect(auth(true).sessionCookie('abc')).toBe(`${SESSION_COOKIE}=abc; Max-Age=7200; Path=/; HttpOnly; Secure; SameSite=Lax`);
    expect(auth(true).clearedSessionCookie()).toBe(`${SESSION_COOKIE}=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax`);
  });

  it('is read from a Cookie header among others', () => {
    expect(auth(false).sessionSecretOf({ headers: { cookie: `theme=dark; ${SESSION_COOKIE}=s3cr3t; x=1` } })).toBe('s3cr3t');
    expect(auth(false).sessionSecretOf({ headers: { cookie: 'theme=dark' } })).toBeUndefined();
    expect(auth(false).sessionSecretOf({ headers: {} })).toBeUndefined();
  });
});
