import type { Caller } from '@atrium/backend-plugin-api';
import { createTestPostgresDatabase, testDatabaseKinds } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigBundle } from '../config/ConfigBundle.js';
import { createLogger } from '../host/createLogger.js';
import type { AuditAppend, AuditStore } from './AuditStore.js';
import { createDurableAudit } from './durableAudit.js';
import { openAuditLog, type OpenedAuditLog } from './openAuditLog.js';

const entry = (target: string): AuditAppend => ({
  actor: 'user:default/ann',
  actorType: 'user',
  action: 'test.thing.update',
  target,
  outcome: 'succeeded',
  requestId: null,
  clientAddress: null,
  diff: null,
  meta: null,
});

/** Waits (without asserting on time) until the clock has moved past `iso`, so later rows are newer. */
async function after(iso: string): Promise<void> {
  while (Date.now() <= Date.parse(iso)) await new Promise((r) => setTimeout(r, 2));
}

describe.each(testDatabaseKinds())('audit store retention and SIEM lines (%s)', (kind) => {
  let log: OpenedAuditLog;
  let store: AuditStore;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    let database: Record<string, unknown> = { client: 'pglite', connection: ':memory:' };
    if (kind === 'postgres') {
      const created = await createTestPostgresDatabase();
      drop = created.drop;
      database = { client: 'pg', connection: created.url };
    }
    log = await openAuditLog(ConfigBundle.fromObject({ backend: { database } }, process.cwd(), 'test-config.yaml'), { migrate: true });
    store = log.store!;
  });
  afterAll(async () => {
    await log?.close();
    await drop?.();
  });

  it('prunes old rows behind a checkpoint and the rest still verifies, also when everything was pruned', async () => {
    const old = [];
    for (let i = 0; i < 3; i++) old.push(await store.append(entry(`old:${i}`)));
    await after(old[2]!.time);
    const kept = [await store.append(entry('new:0')), await store.append(entry('new:1'))];
    expect(await store.prune(new Date(Date.parse(old[2]!.time) + 1))).toBe(3);
    expect(await store.verify()).toEqual({ ok: true, checked: 2, fromCheckpoint: old[2]!.id });
    expect(kept[0]!.prevHash).toBe(old[2]!.hash);

    await after(kept[1]!.time);
    expect(await store.prune(new Date(Date.now() + 1))).toBe(2);
    const next = await store.append(entry('after-prune'));
    expect(next.prevHash).toBe(kept[1]!.hash);
    expect(await store.verify()).toEqual({ ok: true, checked: 1, fromCheckpoint: kept[1]!.id });
    expect(await store.prune(new Date(0))).toBe(0);
  });

  it('writes each record as one JSON line for a SIEM when asked, with its chain hash', async () => {
    const lines: string[] = [];
    const audit = createDurableAudit({ store, logger: createLogger('silent'), jsonLines: (l) => lines.push(l) });
    const ann: Caller = { type: 'user', userEntityRef: 'user:default/ann', ownershipEntityRefs: [], displayName: 'Ann' };
    await audit.record({
      actor: ann,
      action: 'test.siem',
      target: 'thing:1',
      before: { size: 1, name: 'a' },
      after: { size: 2, name: 'a' },
      outcome: 'failed',
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    const parsed = JSON.parse(lines[0]!);
    const [row] = (await store.query({ actionPrefix: 'test.siem' })).items;
    expect(parsed).toEqual({ type: 'audit', ...row });
    expect(row).toMatchObject({ outcome: 'failed', diff: { changes: { size: { before: 1, after: 2 } } } });
  });

  it('a record without trx whose write fails is logged, not thrown at the caller', async () => {
    const audit = createDurableAudit({ store, logger: createLogger('silent') });
    const ann: Caller = { type: 'user', userEntityRef: 'user:default/ann', ownershipEntityRefs: [], displayName: 'Ann' };
    // outcome outside the column's check constraint makes the insert fail.
    await expect(audit.record({ actor: ann, action: 'test.bad', outcome: 'maybe' as never })).resolves.toBeUndefined();
    expect((await store.query({ actionPrefix: 'test.bad' })).items).toEqual([]);
    expect(await store.verify()).toMatchObject({ ok: true });
  });
});
