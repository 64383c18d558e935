import { isApiError } from '@atrium/frontend-plugin-api';
import { isSignInPath, signInPathFor } from './returnTo';

/** Whether an error is the API saying "sign in first" (401). */
export function isUnauthorized(error: unknown): boolean {
  return isApiError(error) && error.status === 401;
}

/** The parts of `window.location` the redirect reads and uses; injectable for tests. */
export interface BrowserLocation {
  pathname: string;
  search: string;
  hash: string;
  assign(url: string): void;
}

/**
 * Sends the browser to the sign-in page, remembering where it was. A full page load (not a
 * router navigation) so every cached answer of the old identity is dropped. Does nothing on
 * the sign-in page itself, so a 401 there cannot loop, and only once per page load.
 */
export function createSignInRedirect(location: BrowserLocation = window.location): (error: unknown) => void {
  let sent = false;
  return (error) => {
    if (sent || !isUnauthorized(error) || isSignInPath(location.pathname)) return;
    sent = true;
    location.assign(signInPathFor(`${location.pathname}${location.search}${location.hash}`));
  };
}
