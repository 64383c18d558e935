import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import { startFakeGitLabApi, startTestBackend, type FakeGitLabApi, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrationsPlugin } from '../plugin.js';

/** With guest sign-in off, GitLab (which has no session) still reaches the webhook; its token is the only check. */
describe('GitLab webhook with guest sign-in off', () => {
  let gitlab: FakeGitLabApi;
  let backend: TestBackend;
  const post = (headers: Record<string, string>, body: unknown) =>
    backend.fetch('/api/integrations/gitlab/webhook', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    gitlab = await startFakeGitLabApi();
    gitlab.addGroup({ fullPath: 'acme' });
    backend = await startTestBackend({
      plugins: [catalogPlugin, integrationsPlugin],
      config: {
        auth: { providers: { guest: { enabled: false } } },
        integrations: {
          gitlab: [{ host: 'gitlab.test', apiBaseUrl: gitlab.apiUrl, token: gitlab.token }],
          discovery: { gitlab: [{ id: 'acme', host: 'gitlab.test', group: 'acme', webhookSecret: 'the-right-secret' }] },
        },
      },
    });
  }, 120_000);
  afterAll(async () => {
    await backend?.stop();
    await gitlab?.stop();
  });

  it('answers with the token check, not the sign-in check', async () => {
    expect((await backend.fetch('/api/integrations/discovery')).status).toBe(401); // guest is really off
    const wrong = await post({ 'x-gitlab-token': 'nope' }, { object_kind: 'push' });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toMatch(/X-Gitlab-Token matches no configured webhook secret/);
    const right = await post({ 'x-gitlab-token': 'the-right-secret', 'idempotency-key': 'k1' }, { object_kind: 'note' });
    expect(right.status).toBe(202);
    expect(await right.json()).toMatchObject({ status: 'ignored', event: 'note' });
  });
});
