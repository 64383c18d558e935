import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import { startTestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { integrationsPlugin } from './plugin.js';

let t: Awaited<ReturnType<typeof startTestBackend>>;
beforeAll(async () => {
  t = await startTestBackend({ plugins: [catalogPlugin, integrationsPlugin], config: { integrations: { encryptionKey: 'k'.repeat(40) } } });
});
afterAll(() => t?.stop());

test('adds a token integration; the token is never returned', async () => {
  const created = await t.json<{ id: string; secretsSet: string[] }>('/api/integrations/integrations', {
    method: 'POST',
    body: { kind: 'github', name: 'acme', host: 'github.com', token: 'ghp_secretvalue' },
  });
  expect(created.status).toBe(201);
  expect(JSON.stringify(created.body)).not.toContain('ghp_secretvalue');
  expect(created.body.secretsSet).toEqual(['token']);
  const list = await t.json<{ items: Array<{ id: string }> }>('/api/integrations/integrations');
  expect(list.body.items.map((i) => i.id)).toContain(created.body.id);
});
