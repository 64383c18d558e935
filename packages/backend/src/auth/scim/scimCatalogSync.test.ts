import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ScimCatalogSync, type ScimCatalog, type ScimCatalogConnection } from './scimCatalogSync.js';
import type { ScimStore } from './scimStore.js';

/** A directory whose snapshot counts reads, and a catalog whose mutations wait until released. */
function setup() {
  let version = 0;
  const store = {
    snapshot: async () => ({
      users: [{ id: `u${++version}`, userName: 'u', entityName: `u${version}`, active: true, displayName: null, emails: [] }],
      groups: [],
    }),
  } as unknown as ScimStore;
  const applied: string[][] = [];
  const waiting: Array<() => void> = [];
  const connection: ScimCatalogConnection = {
    applyMutation: async (m) => {
      await new Promise<void>((resolve) => waiting.push(resolve));
      applied.push(m.entities.map((e) => (e.entity as { metadata: { name: string } }).metadata.name));
      return { written: m.entities.length, removed: [], errors: [] };
    },
  };
  let registrations = 0;
  const catalog: ScimCatalog = {
    registerEntityProvider: async (p) => {
      registrations++;
      await p.connect(connection);
    },
    getEntityByRef: async () => undefined,
  };
  const release = async () => {
    while (waiting.length === 0) await new Promise((r) => setImmediate(r));
    waiting.shift()!();
  };
  return { store, catalog, applied, release, registrations: () => registrations };
}

describe('ScimCatalogSync', () => {
  it('connects once, and coalesces the changes made during a run into one more run', async () => {
    const t = setup();
    const sync = new ScimCatalogSync(t.store, () => t.catalog, pino({ level: 'silent' }));
    const first = sync.sync();
    const second = sync.sync();
    const third = sync.sync();
    expect(third).toBe(second);
    await t.release();
    await first;
    await t.release();
    await Promise.all([second, third]);
    expect(t.applied).toEqual([['u1'], ['u2']]);
    expect(t.registrations()).toBe(1);
  });

  it('does nothing while the catalog is not running', async () => {
    const t = setup();
    await new ScimCatalogSync(t.store, () => undefined, pino({ level: 'silent' })).sync();
    expect(t.applied).toEqual([]);
    expect(t.registrations()).toBe(0);
  });
});
