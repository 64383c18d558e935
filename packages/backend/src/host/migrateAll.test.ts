import { createServiceRef, definePlugin, type BackendPlugin, type Migration } from '@atrium/backend-plugin-api';
import { startTestBackend, testDatabaseKinds, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The host migrates every plugin before the first setup: several at once, each after the plugins
// it depends on; a failed migration fails its plugin (and those that need it), not the others.
describe.each(testDatabaseKinds())('migrations on a first start (%s)', (database) => {
  const log: string[] = [];
  let running = 0;
  let mostAtOnce = 0;

  /** A migration that records when it starts and ends, and holds the database for a moment. */
  const timed = (id: string, fail?: string): Migration => ({
    name: '0001_init',
    async up(knex) {
      log.push(`${id}:start`);
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      try {
        await knex.raw('create table marker (id int primary key)');
        await new Promise((r) => setTimeout(r, 150));
        if (fail) throw new Error(fail);
        await knex.raw(`insert into marker values (1)`);
      } finally {
        running--;
        log.push(`${id}:end`);
      }
    },
  });

  const baseRef = createServiceRef<{ base: true }>('test.migrate.base');
  const badRef = createServiceRef<{ bad: true }>('test.migrate.bad');
  const plugin = (id: string, extra: Partial<BackendPlugin> & { fail?: string } = {}) =>
    definePlugin({
      id,
      migrations: [timed(id, extra.fail)],
      ...(extra.provides ? { provides: extra.provides } : {}),
      ...(extra.deps ? { deps: extra.deps } : {}),
      ...(extra.optionalDeps ? { optionalDeps: extra.optionalDeps } : {}),
      async setup({ db, router, host }) {
        log.push(`${id}:setup`);
        router.get('/marker', async (_req, res) => {
          res.json(await db('marker').select('id'));
        });
        router.get('/startup', async (_req, res) => {
          res.json(Object.fromEntries((await host.plugins()).map((p) => [p.id, p.startupMs ?? null])));
        });
        return extra.provides ? ({ [extra.provides === baseRef ? 'base' : 'bad']: true } as never) : undefined;
      },
    } as BackendPlugin);

  let t: TestBackend;
  beforeAll(async () => {
    t = await startTestBackend({
      database,
      plugins: [
        plugin('base', { provides: baseRef }),
        plugin('needs-base', { deps: { base: baseRef } }),
        plugin('alone-1'),
        plugin('alone-2'),
        plugin('bad', { provides: badRef, fail: 'the bad migration broke' }),
        plugin('needs-bad', { deps: { bad: badRef } }),
        plugin('may-use-bad', { optionalDeps: { bad: badRef } }),
      ],
    });
  });
  afterAll(() => t?.stop());

  it('migrates every plugin before the first setup', () => {
    const lastEnd = log.findLastIndex((e) => e.endsWith(':end'));
    const firstSetup = log.findIndex((e) => e.endsWith(':setup'));
    expect(log.filter((e) => e.endsWith(':end'))).toHaveLength(6);
    expect(firstSetup).toBeGreaterThan(lastEnd);
    expect(log.filter((e) => e.endsWith(':setup'))).toEqual(['base', 'needs-base', 'alone-1', 'alone-2', 'may-use-bad'].map((id) => `${id}:setup`));
  });

  it('runs a plugin’s migrations only after those of the plugins it depends on', () => {
    expect(log.indexOf('needs-base:start')).toBeGreaterThan(log.indexOf('base:end'));
    expect(log).not.toContain('needs-bad:start');
    // An optional dependency is waited for, but its failure does not stop the migration.
    expect(log.indexOf('may-use-bad:start')).toBeGreaterThan(log.indexOf('bad:end'));
  });

  it('counts each plugin’s own migrations in its start-up time', async () => {
    const startup = (await t.json<Record<string, number | null>>('/api/base/startup')).body;
    // Each migration holds the database for 150 ms; a failed plugin has no start-up time.
    for (const id of ['base', 'needs-base', 'alone-1', 'alone-2', 'may-use-bad']) expect(startup[id], id).toBeGreaterThanOrEqual(150);
    expect(startup['bad']).toBeNull();
  });

  it.runIf(database === 'postgres')('runs independent plugins’ migrations at the same time on Postgres', () => {
    expect(mostAtOnce).toBeGreaterThan(1);
  });

  it('fails the plugin whose migration failed, and those that need it, and serves the others', async () => {
    const ready = await t.json<{ plugins: Array<{ id: string; status: string }> }>('/readyz');
    const status = Object.fromEntries(ready.body.plugins.map((p) => [p.id, p.status]));
    expect(status).toEqual({
      base: 'running',
      'needs-base': 'running',
      'alone-1': 'running',
      'alone-2': 'running',
      bad: 'failed',
      'needs-bad': 'failed',
      'may-use-bad': 'running',
    });
    const bad = await t.json<{ error: { message: string } }>('/api/bad/marker');
    expect(bad.status).toBe(503);
    expect(bad.body.error.message).toContain('the bad migration broke');
    expect((await t.json<{ error: { message: string } }>('/api/needs-bad/marker')).body.error.message).toContain('depends on the bad plugin');
    for (const id of ['base', 'needs-base', 'alone-1', 'alone-2', 'may-use-bad']) {
      expect((await t.json(`/api/${id}/marker`)).body, id).toEqual([{ id: 1 }]);
    }
  });
});
