import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestPostgresDatabase, testPostgresUrl } from '@atrium/test-utils';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../host/createBackend.js';
import { createLogger } from '../host/createLogger.js';
import { defaultPlugins } from '../plugins.js';
import { loadConfig } from './loadConfig.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

// Docker cannot run here, so the container's configuration path (app-config.yaml overlaid by
// app-config.production.yaml, connection from POSTGRES_* variables) runs against the real server.
describe.skipIf(!testPostgresUrl())('app-config.production.yaml', () => {
  it('starts every default plugin on the Postgres server named by the environment', async () => {
    const db = await createTestPostgresDatabase();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-prod-data-'));
    const url = new URL(db.url);
    const config = loadConfig({
      rootDir: repoRoot,
      configFiles: [path.join(repoRoot, 'app-config.production.yaml')],
      env: {
        POSTGRES_HOST: url.hostname,
        POSTGRES_PORT: url.port || '5432',
        POSTGRES_USER: decodeURIComponent(url.username) || 'postgres',
        // Left out when the server needs none: the shipped file defaults it to empty (docs/deployment.md).
        ...(url.password ? { POSTGRES_PASSWORD: decodeURIComponent(url.password) } : {}),
        POSTGRES_DB: db.name,
        PORT: '0',
        ATRIUM_DATA_DIR: dataDir,
      },
    });
    expect(config.get('backend.dataDir')).toBe(dataDir);
    expect(config.get('backend.database')).toMatchObject({ client: 'pg', connection: { database: db.name } });
    const backend = await createBackend({ config, plugins: defaultPlugins, logger: createLogger('silent'), appDistDir: null });
    try {
      const { url: base } = await backend.start();
      // No guest in production: the API wants a session or a token.
      expect((await fetch(`${base}/api/system/info`)).status).toBe(401);
      const { secret } = await backend.auth.tokens.create({
        name: 'probe',
        kind: 'personal',
        ownerRef: 'user:default/operator',
        createdBy: 'user:default/operator',
        scopes: ['read'],
        expiresAt: new Date(Date.now() + 3600_000),
      });
      const info = await (await fetch(`${base}/api/system/info`, { headers: { authorization: `Bearer ${secret}` } })).json();
      expect(info.database.mode).toBe('postgres');
      expect(info.database.location).toBe(`${url.hostname}:${url.port || 5432}/${db.name}`);
      expect(info.database.serverVersion).toMatch(/^PostgreSQL \d+/);
      expect(info.plugins.map((p: { id: string; status: string }) => `${p.id}:${p.status}`)).toEqual(defaultPlugins.map((p) => `${p.id}:running`));
    } finally {
      await backend.stop();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
