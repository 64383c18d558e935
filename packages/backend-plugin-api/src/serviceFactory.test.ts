import { describe, expect, it } from 'vitest';
import { coreServices } from './coreServices.js';
import { createServiceRef } from './plugin.js';
import { createCoreServiceRef, createServiceFactory, isCoreServiceRef } from './serviceFactory.js';

describe('service refs', () => {
  it('tell core services (with a scope) from services plugins provide', () => {
    expect(isCoreServiceRef(coreServices.permissions)).toBe(true);
    expect(isCoreServiceRef(createServiceRef<object>('catalog.service'))).toBe(false);
  });

  it('name every core service once, under core., with the scope the host builds it in', () => {
    const refs = Object.values(coreServices);
    expect(new Set(refs.map((r) => r.id)).size).toBe(refs.length);
    for (const ref of refs) expect(ref.id).toMatch(/^core\.[a-zA-Z]+$/);
    const plugin = refs
      .filter((r) => r.scope === 'plugin')
      .map((r) => r.id)
      .sort();
    expect(plugin).toEqual(['core.lifecycle', 'core.logger', 'core.scheduler']);
  });

  it('refuse a malformed id or scope', () => {
    expect(() => createCoreServiceRef({ id: 'Permissions', scope: 'root' })).toThrow('Invalid core service id "Permissions"');
    expect(() => createCoreServiceRef({ id: 'core.x', scope: 'global' as never })).toThrow('Invalid scope "global" for service "core.x"');
  });
});

describe('createServiceFactory', () => {
  it('pairs a core service ref with the function that builds it', async () => {
    const policy = {
      authorize: async () => ({ result: 'DENY' as const }),
      authorizeMany: async () => [],
      assert: async () => {},
      queryConditions: async () => ({ result: 'none' as const }),
    };
    const factory = createServiceFactory(coreServices.permissions, () => policy);
    expect(factory.service).toBe(coreServices.permissions);
    expect(await factory.create({ pluginId: undefined, get: () => Promise.reject(new Error('unused')) })).toBe(policy);
  });

  it('refuses a plugin service ref and a missing builder, saying why', () => {
    const pluginRef = createServiceRef<object>('catalog.service');
    expect(() => createServiceFactory(pluginRef as never, () => ({}))).toThrow(
      'createServiceFactory needs a core service ref (one of coreServices), got the plugin service ref "catalog.service"',
    );
    expect(() => createServiceFactory(coreServices.audit, undefined as never)).toThrow(
      'createServiceFactory(core.audit): the second argument must be a function',
    );
  });
});
