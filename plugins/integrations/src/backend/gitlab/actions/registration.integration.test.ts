import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import { scaffolderPlugin } from '@atrium/plugin-scaffolder/backend';
import { startTestBackend, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrationsPlugin } from '../../plugin.js';

/** The GitLab actions reach the scaffolder through its actions extension (scaffolderActionsRef). */
describe('GitLab scaffolder actions in a backend with the scaffolder', () => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await startTestBackend({
      plugins: [catalogPlugin, scaffolderPlugin, integrationsPlugin],
      config: { integrations: { gitlab: [{ host: 'gitlab.example.com', token: 'glpat-test' }] } },
    });
  }, 120_000);
  afterAll(() => backend?.stop());

  it('lists gitlab:pipeline:trigger as registered by the integrations plugin', async () => {
    const { status, body } =
      await backend.json<Array<{ id: string; description?: string; schema: { input?: { required?: string[] } } }>>('/api/scaffolder/v2/actions');
    expect(status).toBe(200);
    const trigger = body.find((a) => a.id === 'gitlab:pipeline:trigger');
    expect(trigger?.description).toMatch(/short-lived pipeline trigger token/);
    expect(trigger?.schema.input?.required).toEqual(['repoUrl', 'projectId', 'tokenDescription', 'branch']);
    // publish:gitlab is still the scaffolder's own placeholder until it lets a plugin take the id
    const publish = body.find((a) => a.id === 'publish:gitlab');
    expect(publish).toBeDefined();
  });
});
