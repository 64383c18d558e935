import type { Knex } from 'knex';
import { createAjv, formatFieldErrors, toFieldErrors, type ConfigService, type Logger } from '@atrium/backend-plugin-api';
import { StartupError } from '../../host/StartupError.js';
import { signInProviderFactories } from '../providers/registry.js';
import type { SignInProviderFactory, SignInProviderHandler } from '../providers/types.js';
import { DEFAULT_RESOLVERS, resolverConfigSchema, unknownResolvers, type ResolverConfig } from './resolvers.js';

/** A configured provider as read and checked at start, before its handler is built. */
export interface SignInProviderSpec {
  /** The key under `auth.providers`. */
  id: string;
  /** The registry id of its kind (`oidc`, `github`, `saml`). */
  kind: string;
  factory: SignInProviderFactory;
  title: string;
  /** The environment section without `signIn` and `title`, validated by the factory's schema. */
  config: Record<string, unknown>;
  configPath: string;
  resolvers: ResolverConfig[];
  callbackUrl: string;
}

/** A configured provider, ready to serve. */
export interface SignInProvider {
  id: string;
  kind: string;
  title: string;
  handler: SignInProviderHandler;
  resolvers: ResolverConfig[];
}

const ajv = createAjv({ useDefaults: false });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `auth.environment`, default `development` as in Backstage. */
export function authEnvironment(config: ConfigService): string {
  const env = config.get('auth.environment');
  return typeof env === 'string' && env ? env : 'development';
}

/**
 * Reads every `auth.providers.<id>` other than `guest` for the current `auth.environment` and
 * checks it: the id (or its `type`) must name a provider kind Atrium ships, the environment
 * section must exist and pass the kind's schema, and the resolvers must be known. Any problem
 * is a StartupError naming the file and key.
 */
export function readSignInProviderSpecs(config: ConfigService): SignInProviderSpec[] {
  const providers = config.get('auth.providers');
  if (!isObject(providers)) return [];
  const environment = authEnvironment(config);
  const baseUrl = String(config.get('backend.baseUrl') ?? 'http://localhost:7007').replace(/\/$/, '');
  const specs: SignInProviderSpec[] = [];
  for (const [id, value] of Object.entries(providers)) {
    if (id === 'guest') continue;
    const key = `auth.providers.${id}`;
    const where = config.originOf(key) ?? 'the config';
    if (!/^[a-z0-9][a-z0-9_-]*$/i.test(id)) throw new StartupError(`${where}: ${key}: a provider id may only contain letters, digits, '-' and '_'.`);
    const section = isObject(value) ? value : {};
    const kind = typeof section['type'] === 'string' ? section['type'] : id;
    const factory = signInProviderFactories[kind];
    if (!factory) {
      const known = Object.keys(signInProviderFactories).sort();
      throw new StartupError(
        `${where}: ${key}: Atrium has no sign-in provider "${kind}". Known providers: ${['guest', ...known].join(', ')}` +
          ' (another id may name one with `type`).',
      );
    }
    const flat = factory.flatConfig === true && isFlatSection(section, environment);
    const envKey = flat ? key : `${key}.${environment}`;
    // Flat: the section itself (`title` is read below; the kind's schema allows `type`).
    const envSection = flat ? section : section[environment];
    if (!isObject(envSection)) {
      throw new StartupError(
        `${where}: ${envKey} is missing: the provider "${id}" has no settings for auth.environment "${environment}". ` +
          `Add them under ${envKey}, or set auth.environment to one of: ${
            Object.keys(section)
              .filter((k) => isObject(section[k]))
              .join(', ') || '(none)'
          }.`,
      );
    }
    const { signIn, title, ...providerConfig } = envSection;
    const validate = ajv.compile(factory.configSchema);
    if (!validate(providerConfig)) {
      throw new StartupError(`${where}: ${formatFieldErrors(toFieldErrors(validate.errors, envKey))}`);
    }
    const validateSignIn = ajv.compile(resolverConfigSchema);
    if (signIn !== undefined && !validateSignIn(signIn)) {
      throw new StartupError(`${where}: ${formatFieldErrors(toFieldErrors(validateSignIn.errors, `${envKey}.signIn`))}`);
    }
    const resolvers = (signIn as { resolvers?: ResolverConfig[] } | undefined)?.resolvers ?? factory.defaultResolvers ?? DEFAULT_RESOLVERS;
    const unknown = unknownResolvers(resolvers);
    if (unknown.length > 0) throw new StartupError(`${where}: ${envKey}.signIn.resolvers: unknown resolver ${unknown.join(', ')}`);
    const callbackUrl = typeof providerConfig['callbackUrl'] === 'string' ? providerConfig['callbackUrl'] : `${baseUrl}/api/auth/${id}/handler/frame`;
    specs.push({
      id,
      kind,
      factory,
      title: typeof title === 'string' ? title : typeof section['title'] === 'string' ? section['title'] : factory.title,
      config: providerConfig,
      configPath: `${where}: ${envKey}`,
      resolvers,
      callbackUrl,
    });
  }
  return specs;
}

/**
 * A section of a kind Backstage configures flat (SAML) is in the flat form when it has no
 * section for the current environment and has settings of its own (`entryPoint`, `cert`, …).
 */
function isFlatSection(section: Record<string, unknown>, environment: string): boolean {
  if (isObject(section[environment])) return false;
  return Object.keys(section).some((k) => k !== 'type' && k !== 'title' && (k === 'signIn' || !isObject(section[k])));
}

/** Builds the handlers of the configured providers (a factory's error stops the start, naming the provider). */
export async function createSignInProviders(config: ConfigService, logger: Logger, database?: Knex): Promise<Map<string, SignInProvider>> {
  const providers = new Map<string, SignInProvider>();
  for (const spec of readSignInProviderSpecs(config)) {
    let handler: SignInProviderHandler;
    try {
      handler = await spec.factory.create({
        id: spec.id,
        config: spec.config,
        configPath: spec.configPath,
        callbackUrl: spec.callbackUrl,
        logger,
        ...(database ? { database } : {}),
      });
    } catch (e) {
      throw new StartupError(`${spec.configPath}: the ${spec.kind} sign-in provider could not be set up: ${e instanceof Error ? e.message : String(e)}`, {
        cause: e,
      });
    }
    providers.set(spec.id, { id: spec.id, kind: spec.kind, title: spec.title, handler, resolvers: spec.resolvers });
  }
  return providers;
}
