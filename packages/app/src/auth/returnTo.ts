/** The sign-in page's path. */
export const SIGN_IN_PATH = '/sign-in';

/**
 * A `returnTo` value that is safe to send the browser to: a path on this origin. Anything else
 * (`https://elsewhere`, `//elsewhere`, `/\elsewhere`, `javascript:`) and the sign-in page itself
 * become `/`, so signing in can neither leave the site nor loop.
 */
export function safeReturnTo(raw: string | null | undefined): string {
  const value = (raw ?? '').trim();
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  if ([...value].some((c) => c.charCodeAt(0) < 0x20)) return '/';
  const path = value.split(/[?#]/, 1)[0] ?? value;
  if (path === SIGN_IN_PATH || path.startsWith(`${SIGN_IN_PATH}/`)) return '/';
  return value;
}

/** `/sign-in?returnTo=<path>` for the page the browser is on (or was trying to reach). */
export function signInPathFor(returnTo: string, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ ...extra });
  const target = safeReturnTo(returnTo);
  if (target !== '/') params.set('returnTo', target);
  const query = params.toString();
  return query ? `${SIGN_IN_PATH}?${query}` : SIGN_IN_PATH;
}

/** A provider's start URL with the return path appended (`/api/auth/oidc/start?returnTo=/catalog`). */
export function providerStartUrl(startUrl: string, returnTo: string): string {
  const separator = startUrl.includes('?') ? '&' : '?';
  return `${startUrl}${separator}returnTo=${encodeURIComponent(safeReturnTo(returnTo))}`;
}

/** Whether a location's path is the sign-in page (where a 401 must not redirect again). */
export function isSignInPath(pathname: string): boolean {
  return pathname === SIGN_IN_PATH || pathname.startsWith(`${SIGN_IN_PATH}/`);
}
