import type { CoreServiceRef, ServiceFactory, ServiceFactoryContext } from './serviceFactory.js';

/**
 * Builds core services from their factories, each once (root services) or once per plugin
 * (plugin services), on first use. A factory is chosen in this order: an override, the host's
 * default, the ref's own `defaultCreate`. The host uses one registry per backend; tests may use
 * one directly to build a service the way the host would.
 */
export class ServiceRegistry {
  private readonly defaults = new Map<string, ServiceFactory>();
  private readonly overrides = new Map<string, ServiceFactory>();
  private readonly root = new Map<string, Promise<unknown>>();
  private readonly perPlugin = new Map<string, Map<string, Promise<unknown>>>();

  constructor(defaults: readonly ServiceFactory[], overrides: readonly ServiceFactory[] = []) {
    fill(this.defaults, defaults, 'default factories');
    fill(this.overrides, overrides, 'service overrides');
  }

  /** Whether a service was replaced by an override. */
  isOverridden(ref: CoreServiceRef<unknown>): boolean {
    return this.overrides.has(ref.id);
  }

  /** The instance of a root service, or of a plugin service for `pluginId`. */
  get<T>(ref: CoreServiceRef<T>, pluginId?: string): Promise<T> {
    return this.resolve(ref, pluginId, []);
  }

  private resolve<T>(ref: CoreServiceRef<T>, pluginId: string | undefined, chain: readonly string[]): Promise<T> {
    if (chain.includes(ref.id)) {
      return Promise.reject(new Error(`Core services depend on each other in a cycle: ${[...chain, ref.id].join(' -> ')}`));
    }
    if (ref.scope === 'plugin' && pluginId === undefined) {
      const who = chain.length ? `the root service "${chain[chain.length - 1]}"` : 'a caller without a plugin id';
      return Promise.reject(new Error(`"${ref.id}" is built per plugin, so ${who} cannot use it`));
    }
    const cache = ref.scope === 'root' ? this.root : this.pluginCache(pluginId!);
    let instance = cache.get(ref.id);
    if (!instance) {
      instance = this.build(ref, ref.scope === 'root' ? undefined : pluginId, [...chain, ref.id]);
      cache.set(ref.id, instance);
    }
    return instance as Promise<T>;
  }

  private async build<T>(ref: CoreServiceRef<T>, pluginId: string | undefined, chain: readonly string[]): Promise<T> {
    const factory = (this.overrides.get(ref.id) ?? this.defaults.get(ref.id)) as ServiceFactory<T> | undefined;
    const create = factory ? (ctx: ServiceFactoryContext) => factory.create(ctx) : ref.defaultCreate;
    if (!create) throw new Error(`No factory for the core service "${ref.id}": pass one to createBackend({ services })`);
    if (factory && factory.service.scope !== ref.scope) {
      throw new Error(`The factory for "${ref.id}" was made for a ${factory.service.scope} service, but "${ref.id}" is a ${ref.scope} service`);
    }
    const ctx: ServiceFactoryContext = { pluginId, get: (dep) => this.resolve(dep, pluginId, chain) };
    const service = await create(ctx as never);
    if (service === undefined || service === null) throw new Error(`The factory for "${ref.id}" returned ${String(service)}`);
    return service;
  }

  private pluginCache(pluginId: string): Map<string, Promise<unknown>> {
    let cache = this.perPlugin.get(pluginId);
    if (!cache) {
      cache = new Map();
      this.perPlugin.set(pluginId, cache);
    }
    return cache;
  }
}

function fill(target: Map<string, ServiceFactory>, factories: readonly ServiceFactory[], what: string): void {
  for (const f of factories) {
    if (!f?.service?.id || typeof f.create !== 'function') throw new TypeError(`Invalid entry in ${what}: make each with createServiceFactory(ref, create)`);
    if (target.has(f.service.id)) throw new Error(`Two ${what} for the core service "${f.service.id}": give one`);
    target.set(f.service.id, f);
  }
}
