import { coreServices, createCoreServiceRef, createServiceFactory, type CoreServiceRef, type ServiceFactory } from '@atrium/backend-plugin-api';
import { runMigrations } from '../database/runMigrations.js';
import type { PluginRuntime } from '../host/PluginRuntime.js';
import { entityLookupServiceId } from '../plugins.js';
import { readAuthSettings } from './authConfig.js';
import { authMigrations } from './authMigrations.js';
import { samlMigrations } from './providers/samlMigrations.js';
import { systemClock, type Clock } from './clock.js';
import { HostAuth } from './hostAuth.js';
import { SCIM_ORIGIN } from './scim/scimEntities.js';
import { scimMigrations } from './scim/scimMigrations.js';
import { trustedOriginsFromConfig, type EntityLookup } from './ownership.js';
import { SessionStore } from './sessionStore.js';
import { createSignInProviders } from './signIn/signInProviders.js';
import type { SignIn } from './signIn/signInRoutes.js';
import { SignInTransactionStore } from './signIn/transactionStore.js';
import { TokenStore } from './tokenStore.js';

/** The auth module's schema. */
export const AUTH_SCHEMA = 'atrium_auth';

/** The auth module's clock; a test overrides it to move time (`createServiceFactory(authClockRef, () => clock)`). */
export const authClockRef = createCoreServiceRef<Clock, 'root'>({ id: 'host.auth.clock', scope: 'root' });
/** The host's auth module: sessions, tokens and caller resolution (serves `/api/auth`). */
export const hostAuthRef = createCoreServiceRef<HostAuth, 'root'>({ id: 'host.auth', scope: 'root' });
/** The configured sign-in providers and the store of started sign-ins (serves `/api/auth/<id>/…`). */
export const signInRef = createCoreServiceRef<SignIn, 'root'>({ id: 'host.auth.signIn', scope: 'root' });

/**
 * Factories of the auth module, and the host's default for `coreServices.auth` (the module
 * itself). Overriding `coreServices.auth` replaces how plugins identify callers; the module
 * still serves `/api/auth`.
 */
export function authServiceFactories(
  runtimes: ReadonlyMap<string, PluginRuntime>,
  /** The host's event bus, which says whether this replica hears the others (see cacheCredentials). */
  eventBusRef: CoreServiceRef<{ hearingGeneration(): number | undefined }, 'root'>,
): ServiceFactory[] {
  // The catalog is a plugin that starts after the root services: found per request, when running.
  const catalog = (): EntityLookup | undefined => {
    for (const r of runtimes.values()) if (r.plugin.provides?.id === entityLookupServiceId && r.status === 'running') return r.provided as EntityLookup;
    return undefined;
  };
  return [
    createServiceFactory(authClockRef, () => systemClock),
    createServiceFactory(hostAuthRef, async ({ get }) => {
      const [config, database, clock, events, bus] = await Promise.all([
        get(coreServices.rootConfig),
        get(coreServices.database),
        get(authClockRef),
        get(coreServices.events),
        get(eventBusRef),
      ]);
      const settings = readAuthSettings(config);
      const db = await database.withStartupLock(async () => {
        const knex = await database.forSchema(AUTH_SCHEMA);
        await runMigrations(knex, AUTH_SCHEMA, [...authMigrations, ...scimMigrations, ...samlMigrations]);
        return knex;
      });
      const hostAuth = new HostAuth(
        new SessionStore(db, { idleMs: settings.idleMs, maxMs: settings.maxMs }, clock),
        new TokenStore(db, clock),
        settings,
        catalog,
        new Set([...trustedOriginsFromConfig(config), SCIM_ORIGIN]),
        clock,
      );
      hostAuth.followEvents(events);
      hostAuth.cacheCredentials(events, () => bus.hearingGeneration());
      return hostAuth;
    }),
    createServiceFactory(signInRef, async ({ get }) => {
      const [config, logger, database, clock] = await Promise.all([
        get(coreServices.rootConfig),
        get(coreServices.rootLogger),
        get(coreServices.database),
        get(authClockRef),
      ]);
      // hostAuthRef ran the migrations already.
      await get(hostAuthRef);
      const db = await database.forSchema(AUTH_SCHEMA);
      return { providers: await createSignInProviders(config, logger, db), transactions: new SignInTransactionStore(db, clock) };
    }),
    createServiceFactory(coreServices.auth, ({ get }) => get(hostAuthRef)),
  ];
}
