import { describe, expect, it } from 'vitest';
import { createCoreServiceRef, createServiceFactory } from './serviceFactory.js';
import { ServiceRegistry } from './serviceRegistry.js';

const greeting = createCoreServiceRef<{ text: string }, 'root'>({ id: 'test.greeting', scope: 'root', defaultCreate: () => ({ text: 'from the ref' }) });
const counter = createCoreServiceRef<{ n: number }, 'root'>({ id: 'test.counter', scope: 'root' });
const perPlugin = createCoreServiceRef<{ owner: string; greeting: string }, 'plugin'>({
  id: 'test.perPlugin',
  scope: 'plugin',
  defaultCreate: async ({ pluginId, get }) => ({ owner: pluginId, greeting: (await get(greeting)).text }),
});

describe('ServiceRegistry', () => {
  it("uses an override over the host's default, and the host's default over the ref's own", async () => {
    const hostDefault = createServiceFactory(greeting, () => ({ text: 'from the host' }));
    expect((await new ServiceRegistry([]).get(greeting)).text).toBe('from the ref');
    expect((await new ServiceRegistry([hostDefault]).get(greeting)).text).toBe('from the host');
    const registry = new ServiceRegistry([hostDefault], [createServiceFactory(greeting, () => ({ text: 'overridden' }))]);
    expect((await registry.get(greeting)).text).toBe('overridden');
    expect(registry.isOverridden(greeting)).toBe(true);
    expect(registry.isOverridden(counter)).toBe(false);
  });

  it('builds a root service once, even when asked for concurrently and per plugin', async () => {
    let built = 0;
    const registry = new ServiceRegistry([createServiceFactory(counter, async () => ({ n: ++built }))]);
    const [a, b, c] = await Promise.all([registry.get(counter), registry.get(counter), registry.get(counter, 'catalog')]);
    expect(built).toBe(1);
    expect(a).toBe(b);
    expect(a).toBe(c);
  });

  it('builds a plugin service once per plugin, knowing which plugin, and lets it use root services', async () => {
    const registry = new ServiceRegistry([], [createServiceFactory(greeting, () => ({ text: 'hi' }))]);
    const catalog = await registry.get(perPlugin, 'catalog');
    expect(catalog).toEqual({ owner: 'catalog', greeting: 'hi' });
    expect(await registry.get(perPlugin, 'catalog')).toBe(catalog);
    expect(await registry.get(perPlugin, 'techdocs')).toEqual({ owner: 'techdocs', greeting: 'hi' });
  });

  it('refuses a plugin service without a plugin, and a root service that uses a plugin service', async () => {
    await expect(new ServiceRegistry([]).get(perPlugin)).rejects.toThrow('"test.perPlugin" is built per plugin, so a caller without a plugin id cannot use it');
    const registry = new ServiceRegistry([createServiceFactory(counter, async ({ get }) => ({ n: (await get(perPlugin)).owner.length }))]);
    await expect(registry.get(counter, 'catalog')).rejects.toThrow('"test.perPlugin" is built per plugin, so the root service "test.counter" cannot use it');
  });

  it('reports a dependency cycle instead of hanging', async () => {
    const a = createCoreServiceRef<object, 'root'>({ id: 'test.a', scope: 'root' });
    const b = createCoreServiceRef<object, 'root'>({ id: 'test.b', scope: 'root' });
    const registry = new ServiceRegistry([
      createServiceFactory(a, async ({ get }) => ({ b: await get(b) })),
      createServiceFactory(b, async ({ get }) => ({ a: await get(a) })),
    ]);
    await expect(registry.get(a)).rejects.toThrow('Core services depend on each other in a cycle: test.a -> test.b -> test.a');
  });

  it('names the service that has no factory, or whose factory returned nothing', async () => {
    await expect(new ServiceRegistry([]).get(counter)).rejects.toThrow('No factory for the core service "test.counter"');
    const empty = new ServiceRegistry([], [createServiceFactory(counter, () => undefined as unknown as { n: number })]);
    await expect(empty.get(counter)).rejects.toThrow('The factory for "test.counter" returned undefined');
  });

  it('refuses two overrides for one service, and entries not made by createServiceFactory', () => {
    const one = createServiceFactory(counter, () => ({ n: 1 }));
    const two = createServiceFactory(counter, () => ({ n: 2 }));
    expect(() => new ServiceRegistry([], [one, two])).toThrow('Two service overrides for the core service "test.counter"');
    expect(() => new ServiceRegistry([], [{ service: counter } as never])).toThrow('Invalid entry in service overrides');
  });

  it('refuses a factory whose ref has the same id but another scope', async () => {
    const impostor = createCoreServiceRef<{ n: number }, 'plugin'>({ id: 'test.counter', scope: 'plugin' });
    const registry = new ServiceRegistry([], [createServiceFactory(impostor, () => ({ n: 1 }))]);
    await expect(registry.get(counter)).rejects.toThrow('was made for a plugin service, but "test.counter" is a root service');
  });

  it('passes a factory failure through to whoever asked', async () => {
    const registry = new ServiceRegistry([
      createServiceFactory(counter, () => {
        throw new Error('no disk');
      }),
    ]);
    await expect(registry.get(counter)).rejects.toThrow('no disk');
  });
});
