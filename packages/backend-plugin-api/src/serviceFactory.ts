import type { ServiceRef } from './plugin.js';

/**
 * `root`: one instance per backend, shared by every plugin (permissions, events, ...).
 * `plugin`: one instance per plugin, built knowing which plugin it is for (logger, scheduler, ...).
 */
export type ServiceScope = 'root' | 'plugin';

/** What a factory gets when it builds its service. */
export interface ServiceFactoryContext<S extends ServiceScope = ServiceScope> {
  /** The plugin the instance is built for; undefined for a root service. */
  readonly pluginId: S extends 'plugin' ? string : string | undefined;
  /**
   * Another core service, built on first use. A root service may use only root services; a
   * plugin service gets the other plugin services of the same plugin.
   */
  get<T>(ref: CoreServiceRef<T>): Promise<T>;
}

export type ServiceCreate<T, S extends ServiceScope> = (ctx: ServiceFactoryContext<S>) => T | Promise<T>;

/**
 * A typed handle for a service the host gives every plugin (see `coreServices`). Unlike a plugin
 * service ref, it has a scope and is built by a factory, which a backend may replace.
 */
export interface CoreServiceRef<T, S extends ServiceScope = ServiceScope> extends ServiceRef<T> {
  readonly scope: S;
  /** Used when neither the backend's overrides nor the host supply a factory for this service. */
  readonly defaultCreate?: ServiceCreate<T, S>;
}

/** How one core service is built; handed to `createBackend({ services })` to replace a default. */
export interface ServiceFactory<T = unknown, S extends ServiceScope = ServiceScope> {
  readonly service: CoreServiceRef<T, S>;
  create(ctx: ServiceFactoryContext<S>): T | Promise<T>;
}

const SCOPES: readonly string[] = ['root', 'plugin'];
const ID = /^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9-]*)+$/;

export function isCoreServiceRef(ref: ServiceRef<unknown>): ref is CoreServiceRef<unknown> {
  return SCOPES.includes((ref as { scope?: string }).scope ?? '');
}

/** Declares a core service. Ids are dotted (`core.permissions`); `defaultCreate` is optional. */
export function createCoreServiceRef<T, S extends ServiceScope = ServiceScope>(options: {
  id: string;
  scope: S;
  defaultCreate?: ServiceCreate<T, S>;
}): CoreServiceRef<T, S> {
  if (!ID.test(options.id)) throw new TypeError(`Invalid core service id "${options.id}": use dotted lowercase words, e.g. "core.permissions"`);
  if (!SCOPES.includes(options.scope)) throw new TypeError(`Invalid scope "${String(options.scope)}" for service "${options.id}": use "root" or "plugin"`);
  return { id: options.id, scope: options.scope, ...(options.defaultCreate ? { defaultCreate: options.defaultCreate } : {}) };
}

/**
 * A factory for a core service, e.g. a permission policy that denies everything:
 * `createServiceFactory(coreServices.permissions, () => denyAll)`.
 */
export function createServiceFactory<T, S extends ServiceScope>(ref: CoreServiceRef<T, S>, create: ServiceCreate<T, S>): ServiceFactory<T, S> {
  if (!ref || !isCoreServiceRef(ref)) {
    const given = ref as ServiceRef<unknown> | undefined;
    throw new TypeError(
      `createServiceFactory needs a core service ref (one of coreServices), got ${given ? `the plugin service ref "${given.id}"` : String(given)}; ` +
        `a plugin service comes from the plugin that provides it`,
    );
  }
  if (typeof create !== 'function') throw new TypeError(`createServiceFactory(${ref.id}): the second argument must be a function that builds the service`);
  return { service: ref, create };
}
