import { githubProviderFactory } from './github.js';
import { samlProviderFactory } from './saml.js';
import { oidcProviderFactory } from './oidc.js';
import type { SignInProviderFactory } from './types.js';

/**
 * The sign-in provider kinds Atrium ships, by the id Backstage uses for them under
 * `auth.providers`. Each provider module adds its own line here.
 */
export const signInProviderFactories: Record<string, SignInProviderFactory> = {
  github: githubProviderFactory,
  saml: samlProviderFactory,
  oidc: oidcProviderFactory,
};
