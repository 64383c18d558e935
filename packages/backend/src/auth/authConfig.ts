import type { ConfigService, Logger } from '@atrium/backend-plugin-api';
import { StartupError } from '../host/StartupError.js';
import { readSignInProviderSpecs } from './signIn/signInProviders.js';

/** The `auth` section as the host reads it (validated by backendConfigSchema first). */
export interface AuthSettings {
  /** Whether a request without a session or token is the guest (else 401). */
  guestEnabled: boolean;
  idleMs: number;
  maxMs: number;
  /** Cookies get `Secure` when backend.baseUrl is https. */
  secureCookies: boolean;
}

export const DEFAULT_IDLE_MINUTES = 24 * 60;
export const DEFAULT_MAX_HOURS = 7 * 24;

/** Reads `auth.*`. Guest sign-in is on unless `auth.providers.guest.enabled` is false. */
export function readAuthSettings(config: ConfigService): AuthSettings {
  const guest = config.get('auth.providers.guest') as { enabled?: boolean } | undefined;
  const baseUrl = String(config.get('backend.baseUrl') ?? 'http://localhost:7007');
  return {
    guestEnabled: guest?.enabled !== false,
    idleMs: Number(config.get('auth.session.idleMinutes') ?? DEFAULT_IDLE_MINUTES) * 60_000,
    maxMs: Number(config.get('auth.session.maxHours') ?? DEFAULT_MAX_HOURS) * 3600_000,
    secureCookies: baseUrl.startsWith('https:'),
  };
}

/**
 * A production start (NODE_ENV=production, as the Docker image sets) with guest sign-in on is
 * refused unless `auth.allowGuestInProduction: true` says it is meant.
 */
export function checkGuestInProduction(config: ConfigService, settings: AuthSettings, env: NodeJS.ProcessEnv = process.env): void {
  if (env['NODE_ENV'] !== 'production' || !settings.guestEnabled) return;
  if (config.get('auth.allowGuestInProduction') === true) return;
  const where = config.originOf('auth.providers.guest') ?? 'the defaults';
  throw new StartupError(
    `Guest sign-in is on in production (${where}: auth.providers.guest): every visitor could act as the guest. ` +
      'Set auth.providers.guest.enabled: false (app-config.production.yaml does), or set auth.allowGuestInProduction: true if that is really meant.',
  );
}

/**
 * The start-time checks of the `auth` section: refuse guest in production; every configured
 * sign-in provider must be one Atrium ships, with valid settings for `auth.environment`
 * (a StartupError naming the file and key otherwise).
 */
export function checkAuthConfig(config: ConfigService, logger: Logger, env: NodeJS.ProcessEnv = process.env): AuthSettings {
  const settings = readAuthSettings(config);
  checkGuestInProduction(config, settings, env);
  const providers = readSignInProviderSpecs(config);
  if (providers.length === 0 && !settings.guestEnabled) {
    logger.warn('No sign-in provider is configured and guest sign-in is off: only API tokens can call the API.');
  }
  return settings;
}
