import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { coreServices } from './coreServices.js';
import { createPermissions } from './defaults/permissions.js';
import { NotAllowedError } from './errors.js';
import { createServiceFactory, type CoreServiceRef } from './serviceFactory.js';
import { ServiceRegistry } from './serviceRegistry.js';
import type { Caller, LifecycleService } from './services.js';

function recordingLogger() {
  const stream = new PassThrough();
  const lines: Array<Record<string, unknown>> = [];
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  return { logger: pino({ base: {} }, stream), lines };
}

const guest: Caller = { type: 'guest', userEntityRef: 'user:default/guest', ownershipEntityRefs: [], displayName: 'Guest' };

describe('core service defaults', () => {
  it('auth says everyone is the guest, and names a plugin as the caller of its own work', async () => {
    const auth = await new ServiceRegistry([]).get(coreServices.auth);
    expect(await auth.getCaller({ headers: {} })).toMatchObject({ type: 'guest', userEntityRef: 'user:default/guest' });
    expect(auth.serviceCaller('catalog')).toMatchObject({ type: 'service', userEntityRef: 'plugin:catalog' });
  });

  it('permissions allow everything; a policy from createPermissions makes assert throw a 403', async () => {
    const allowAll = await new ServiceRegistry([]).get(coreServices.permissions);
    await expect(allowAll.assert(guest, { permission: 'catalog.entity.delete' })).resolves.toBeUndefined();
    const readOnly = createPermissions((_caller, { permission }) => (permission.endsWith('.read') ? { result: 'ALLOW' } : { result: 'DENY' }));
    expect(await readOnly.authorize(guest, { permission: 'catalog.entity.read' })).toEqual({ result: 'ALLOW' });
    const denied = await readOnly.assert(guest, { permission: 'catalog.entity.delete' }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(NotAllowedError);
    expect((denied as NotAllowedError).message).toBe('user:default/guest may not catalog.entity.delete');
  });

  it('audit and plugin loggers are children of the root logger, whichever root logger the backend has', async () => {
    const { logger, lines } = recordingLogger();
    const registry = new ServiceRegistry([createServiceFactory(coreServices.rootLogger, () => logger)]);
    (await registry.get(coreServices.audit)).record({ actor: guest, action: 'catalog.location.create', target: 'url:https://x' });
    (await registry.get(coreServices.logger, 'techdocs')).info('built');
    await new Promise((r) => setImmediate(r));
    expect(lines).toEqual([
      expect.objectContaining({ component: 'audit', audit: true, actor: 'user:default/guest', action: 'catalog.location.create', outcome: 'succeeded' }),
      expect.objectContaining({ plugin: 'techdocs', msg: 'built' }),
    ]);
  });

  it("a plugin's lifecycle hands hooks to the root lifecycle and logs a failing hook on the plugin's logger", async () => {
    const { logger, lines } = recordingLogger();
    const hooks: Array<() => void | Promise<void>> = [];
    const root: LifecycleService = { onShutdown: (fn) => void hooks.push(fn) };
    const registry = new ServiceRegistry([
      createServiceFactory(coreServices.rootLogger, () => logger),
      createServiceFactory(coreServices.rootLifecycle, () => root),
    ]);
    const lifecycle = await registry.get(coreServices.lifecycle, 'scaffolder');
    lifecycle.onShutdown(() => {
      throw new Error('worker stuck');
    });
    expect(hooks).toHaveLength(1);
    await hooks[0]!();
    await new Promise((r) => setImmediate(r));
    expect(lines).toEqual([
      expect.objectContaining({ plugin: 'scaffolder', msg: 'a shutdown hook failed', err: expect.objectContaining({ message: 'worker stuck' }) }),
    ]);
  });

  it('the host-built services have no default here: a registry without the host says so', async () => {
    const hostBuilt: Array<CoreServiceRef<unknown>> = [
      coreServices.rootConfig,
      coreServices.instance,
      coreServices.database,
      coreServices.events,
      coreServices.host,
      coreServices.auditLog,
    ];
    for (const ref of hostBuilt) {
      await expect(new ServiceRegistry([]).get(ref)).rejects.toThrow(`No factory for the core service "${ref.id}"`);
    }
  });
});
