import type { AuthService, Caller } from '../services.js';

const GUEST: Caller = {
  type: 'guest',
  userEntityRef: 'user:default/guest',
  ownershipEntityRefs: ['user:default/guest'],
  displayName: 'Guest',
};

/** The default `auth`: for now everyone is the guest; real sign-in replaces it without touching plugins. */
export function createGuestAuth(): AuthService {
  return {
    async getCaller() {
      return GUEST;
    },
    serviceCaller(pluginId) {
      return {
        type: 'service',
        userEntityRef: `plugin:${pluginId}`,
        ownershipEntityRefs: [],
        displayName: `plugin ${pluginId}`,
      };
    },
  };
}
