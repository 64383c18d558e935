import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigBundle, openAuditLog, openDatabase } from '@atrium/backend';
import { createTestPostgresDatabase, testDatabaseKinds } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const tsx = path.join(repoRoot, 'node_modules/tsx/dist/cli.mjs');
const entry = path.join(repoRoot, 'packages/cli/src/dev.ts');

function atrium(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [tsx, '--conditions=source', entry, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.each(testDatabaseKinds())('atrium audit verify (%s)', (kind) => {
  let dir: string;
  let configFile: string;
  let config: ConfigBundle;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-audit-verify-'));
    let database: Record<string, unknown> = { client: 'pglite', connection: { directory: path.join(dir, 'db') } };
    if (kind === 'postgres') {
      const created = await createTestPostgresDatabase();
      drop = created.drop;
      database = { client: 'pg', connection: created.url };
    }
    const data = { backend: { dataDir: path.join(dir, 'data'), database } };
    configFile = path.join(dir, 'app-config.yaml');
    fs.writeFileSync(configFile, JSON.stringify(data));
    config = ConfigBundle.fromObject(data, dir, configFile);
  });
  afterAll(async () => {
    await drop?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('says a database without an audit log has none', () => {
    const r = atrium(dir, 'audit', 'verify');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no audit log/);
  });

  it('passes an intact chain and names the record changed in SQL', async () => {
    const log = await openAuditLog(config, { migrate: true });
    const ids: Array<{ id: string; time: string }> = [];
    try {
      for (let i = 0; i < 5; i++) {
        const row = await log.store!.append({
          actor: 'user:default/ann',
          actorType: 'user',
          action: 'test.thing.update',
          target: `thing:${i}`,
          outcome: 'succeeded',
          requestId: null,
          clientAddress: null,
          diff: null,
          meta: { i },
        });
        ids.push({ id: row.id, time: row.time });
      }
    } finally {
      await log.close();
    }
    const intact = atrium(dir, 'audit', 'verify');
    expect(intact.stderr).toBe('');
    expect(intact.stdout).toMatch(/audit log intact: 5 records verified/);
    expect(intact.code).toBe(0);

    const database = await openDatabase(config);
    try {
      const db = await database.forSchema('atrium_host');
      await db.raw(`update atrium_host.audit_events set meta = '{"i": 99}' where id = ?`, [ids[2]!.id]);
    } finally {
      await database.close();
    }
    const tampered = atrium(dir, 'audit', 'verify');
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain(`record ${ids[2]!.id} (${ids[2]!.time})`);
    const json = atrium(dir, 'audit', 'verify', '--format', 'json');
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, brokenAt: ids[2] });
    // Four CLI processes, each starting Node and opening the database: slow on a busy machine.
  }, 180_000);
});
