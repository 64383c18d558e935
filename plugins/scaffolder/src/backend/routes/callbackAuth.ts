import { AuthenticationError, type AuthService, type Caller } from '@atrium/backend-plugin-api';

/** Whoever posts to a signed callback URL without a session: the signature, checked by the handler, is what authenticates it. */
const SIGNED_CALLBACK: Caller = { type: 'service', userEntityRef: 'callback:signed', ownershipEntityRefs: [], displayName: 'signed callback' };

/** The auth service for the callback route only: a request with no session (guest sign-in off) is not refused before its signature is checked. */
export function anonymousWhenSignedOut(auth: AuthService): AuthService {
  return {
    async getCaller(req) {
      try {
        return await auth.getCaller(req);
      } catch (e) {
        if (e instanceof AuthenticationError) return { ...SIGNED_CALLBACK };
        throw e;
      }
    },
    serviceCaller: (pluginId) => auth.serviceCaller(pluginId),
  };
}
