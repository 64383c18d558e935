import { coreServices, createPermissions, createServiceFactory, type PermissionRequest } from '@atrium/backend-plugin-api';
import { startTestBackend } from '@atrium/test-utils';
import { describe, expect, it } from 'vitest';
import type { SystemInfo } from '../common/types.js';
import { systemPlugin } from './plugin.js';

describe('GET /api/system/info', () => {
  it('answers the running system to a caller allowed system.info.read, and 403 to one who is not', async () => {
    const asked: PermissionRequest[] = [];
    let allow = true;
    const policy = createServiceFactory(coreServices.permissions, () =>
      createPermissions((_caller, request) => {
        asked.push(request);
        return { result: allow ? 'ALLOW' : 'DENY' };
      }),
    );
    const t = await startTestBackend({ plugins: [systemPlugin], services: [policy] });
    try {
      const ok = await t.json<SystemInfo>('/api/system/info');
      expect(ok.status).toBe(200);
      expect(ok.body.database.mode).toBe('embedded');
      expect(ok.body.plugins.map((p) => `${p.id}:${p.status}`)).toEqual(['system:running']);
      expect(asked).toEqual([{ permission: 'system.info.read' }]);
      // The event log's size: empty on a fresh database, kept for the default 90 days.
      expect(ok.body.eventLog).toMatchObject({ rows: 0, retentionDays: 90, newestId: null });
      expect(ok.body.eventLog!.bytes).toBeGreaterThan(0);
      allow = false;
      const denied = await t.json<{ error: { name: string } }>('/api/system/info');
      expect(denied.status).toBe(403);
      expect(denied.body.error.name).toBe('NotAllowedError');
      const doc = await t.json<{ paths: Record<string, Record<string, Record<string, unknown>>> }>('/api/openapi.json');
      expect(doc.body.paths['/api/system/info']!['get']).toMatchObject({ tags: ['system'], 'x-atrium-permission': 'system.info.read' });
    } finally {
      await t.stop();
    }
  });
});
