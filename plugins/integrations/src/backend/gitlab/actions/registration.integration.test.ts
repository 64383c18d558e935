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

  it('lists the GitLab actions as registered by the integrations plugin, in place of the scaffolder’s placeholders', async () => {
    const { status, body } =
      await backend.json<Array<{ id: string; description?: string; schema: { input?: { required?: string[] } } }>>('/api/scaffolder/v2/actions');
    expect(status).toBe(200);
    const trigger = body.find((a) => a.id === 'gitlab:pipeline:trigger');
    expect(trigger?.description).toMatch(/short-lived pipeline trigger token/);
    expect(trigger?.schema.input?.required).toEqual(['repoUrl', 'projectId', 'tokenDescription', 'branch']);
    // The scaffolder's "needs an integration" placeholders give way to the real actions.
    for (const id of ['publish:gitlab', 'publish:gitlab:merge-request']) {
      const action = body.find((a) => a.id === id);
      expect(action?.description, id).not.toMatch(/Not configured in Atrium/);
      expect(action?.schema.input?.required, id).toContain('repoUrl');
    }
    // One still without an integration keeps its placeholder.
    expect(body.find((a) => a.id === 'publish:bitbucket')).toBeDefined();
  });
});
