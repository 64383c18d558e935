import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { sign } from '@octokit/webhooks-methods';
import { definePlugin } from '@atrium/backend-plugin-api';
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import { scaffolderActionsRef, scaffolderPlugin } from '@atrium/plugin-scaffolder/backend';
import type { SerializedTask } from '@atrium/plugin-scaffolder/common';
import { startFakeGitLabApi, startTestBackend, testDatabaseKinds, waitFor, type FakeGitLabApi, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrationsPlugin } from './plugin.js';
import { githubPullRequestClosed, gitlabMergeRequestClosed } from './pullRequestEvents.js';

// GitHub's own example delivery of a closed pull request (@octokit/webhooks-examples), pointed at
// our repository and pull request and replayed signed as GitHub signs it.
const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples/api.github.com/index.json') as Array<{ name: string; examples: Array<Record<string, unknown>> }>;
const closedExample = examples.find((e) => e.name === 'pull_request')!.examples.find((e) => e['action'] === 'closed')!;
const SECRET = 'It’s a Secret to Everybody';
// A GitHub Enterprise host: only this test's checker knows its pull requests.
const HOST = 'ghe.example.test';
const prUrl = (n: number) => `https://${HOST}/acme/svc/pull/${n}`;

function closedDelivery(n: number, merged: boolean): Record<string, unknown> {
  const payload = structuredClone(closedExample);
  payload['number'] = n;
  Object.assign(payload['pull_request'] as Record<string, unknown>, {
    number: n,
    html_url: prUrl(n),
    url: `https://${HOST}/api/v3/repos/acme/svc/pulls/${n}`,
    merged,
    merged_at: merged ? '2026-12-06T07:00:00Z' : null,
    merge_commit_sha: 'c0ffee0000000000000000000000000000000000',
  });
  Object.assign(payload['repository'] as Record<string, unknown>, { name: 'svc', full_name: 'acme/svc', html_url: `https://${HOST}/acme/svc` });
  return payload;
}

/** A pull request checker for HOST that always answers "open", counting how often it is asked. */
let checks = 0;
const alwaysOpenChecker = definePlugin<unknown, { scaffolder: typeof scaffolderActionsRef }>({
  id: 'always-open-checker',
  deps: { scaffolder: scaffolderActionsRef },
  setup({ deps }) {
    deps.scaffolder.registerPullRequestChecker({
      id: 'always-open',
      matches: (url) => url.startsWith(`https://${HOST}/`),
      async check() {
        checks++;
        return { state: 'open' };
      },
    });
  },
});

const template = `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: { name: merge-wait }
spec:
  type: service
  parameters:
    - properties:
        pr: { type: string }
  steps:
    - id: merged
      action: wait:pull-request
      input: { url: '\${{ parameters.pr }}', pollInterval: 3600 }
    - id: after
      action: debug:log
      input: { message: 'after \${{ steps.merged.output.state }}' }
  output:
    merge: '\${{ steps.merged.output.state }}'
`;

describe('pull request events from webhooks', () => {
  it('maps GitHub’s closed delivery and GitLab’s merge and close hooks; ignores the rest', () => {
    expect(githubPullRequestClosed(closedDelivery(7, true), 'd-1')).toEqual({
      provider: 'github',
      host: HOST,
      repository: 'acme/svc',
      number: 7,
      merged: true,
      urls: [prUrl(7), `https://${HOST}/api/v3/repos/acme/svc/pulls/7`],
      mergeCommitSha: 'c0ffee0000000000000000000000000000000000',
      deliveryId: 'd-1',
    });
    expect(githubPullRequestClosed(closedDelivery(7, false))).toMatchObject({ merged: false, number: 7 });
    expect(githubPullRequestClosed(closedDelivery(7, false))).not.toHaveProperty('mergeCommitSha');
    expect(githubPullRequestClosed({ ...closedDelivery(7, true), action: 'opened' })).toBeUndefined();
    const mr = (action: string) => ({
      object_kind: 'merge_request',
      project: { path_with_namespace: 'group/sub/app' },
      object_attributes: { iid: 5, action, url: 'https://gitlab.example.test/group/sub/app/-/merge_requests/5', merge_commit_sha: 'abc123' },
    });
    expect(gitlabMergeRequestClosed(mr('merge'), 'k-1')).toEqual({
      provider: 'gitlab',
      host: 'gitlab.example.test',
      repository: 'group/sub/app',
      number: 5,
      merged: true,
      urls: ['https://gitlab.example.test/group/sub/app/-/merge_requests/5'],
      mergeCommitSha: 'abc123',
      deliveryId: 'k-1',
    });
    expect(gitlabMergeRequestClosed(mr('close'))).toMatchObject({ merged: false });
    expect(gitlabMergeRequestClosed(mr('update'))).toBeUndefined();
    expect(gitlabMergeRequestClosed({ object_kind: 'push' })).toBeUndefined();
  });
});

describe.each(testDatabaseKinds())('wait:pull-request woken by a GitHub webhook (%s)', (database) => {
  let backend: TestBackend;
  let root: string;
  let gitlab: FakeGitLabApi;

  beforeAll(async () => {
    checks = 0;
    gitlab = await startFakeGitLabApi();
    gitlab.addGroup({ fullPath: 'acme' });
    root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'atrium-pr-wake-')));
    await fs.writeFile(path.join(root, 'template.yaml'), template);
    backend = await startTestBackend({
      plugins: [catalogPlugin, scaffolderPlugin, integrationsPlugin, alwaysOpenChecker],
      database,
      config: {
        catalog: { locations: [{ type: 'file', target: path.join(root, 'template.yaml') }], processingPollMs: 100, readers: { fileRoots: [root] } },
        // The poll would look again only in an hour: whatever ends the waits here is the webhook.
        scaffolder: { pollMs: 50, waitPollSeconds: 1, publish: { fileRoots: [root] } },
        integrations: {
          encryptionKey: 'x'.repeat(40),
          github: [{ host: 'github.com', token: 'ghp_unused', webhookSecret: SECRET }],
          gitlab: [{ host: 'gitlab.test', apiBaseUrl: gitlab.apiUrl, token: gitlab.token }],
          discovery: { gitlab: [{ id: 'acme', host: 'gitlab.test', group: 'acme', webhookSecret: 'the-gitlab-secret' }] },
        },
      },
    });
    await waitFor(async () => (await backend.json('/api/scaffolder/v2/templates/default/template/merge-wait/parameter-schema')).status === 200, {
      timeoutMs: 60_000,
      message: 'template not loaded',
    });
  }, 180_000);

  afterAll(async () => {
    await backend?.stop();
    await gitlab?.stop();
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  const start = async (n: number) => {
    const r = await backend.json<{ id: string }>('/api/scaffolder/v2/tasks', {
      method: 'POST',
      body: { templateRef: 'template:default/merge-wait', values: { pr: prUrl(n) } },
    });
    expect(r.status).toBe(201);
    return r.body.id;
  };
  const task = async (id: string) => (await backend.json<SerializedTask>(`/api/scaffolder/v2/tasks/${id}`)).body;
  const deliver = async (body: string, delivery: string, secret = SECRET) =>
    backend.fetch('/api/integrations/github/webhook', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-github-delivery': delivery,
        'x-hub-signature-256': await sign(secret, body),
      },
      body,
    });

  it('a signed closed+merged delivery ends the matching wait within seconds; closed unmerged fails it; others keep waiting', async () => {
    const merged = await start(7);
    const closed = await start(8);
    const other = await start(9);
    for (const id of [merged, closed, other])
      await waitFor(async () => (await task(id)).status === 'waiting', { timeoutMs: 30_000, message: `${id} not waiting` });
    // Each was looked at once when it began waiting; the next look is an hour away.
    await waitFor(() => checks >= 3, { timeoutMs: 10_000 });
    const looked = checks;

    const body = JSON.stringify(closedDelivery(7, true));
    const bad = await deliver(body, `merge-7-bad-${database}`, 'not the secret');
    expect(bad.status).toBe(401);
    expect((await task(merged)).status).toBe('waiting');

    const res = await deliver(body, `merge-7-${database}`);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: 'published' });
    const done = await waitFor(
      async () => {
        const t = await task(merged);
        return t.status === 'completed' ? t : false;
      },
      { timeoutMs: 10_000, message: 'the merged pull request did not end the wait' },
    );
    expect(done.output).toMatchObject({ merge: 'merged' });
    const replay = await deliver(body, `merge-7-${database}`);
    expect(await replay.json()).toMatchObject({ status: 'ignored', reason: 'replayed delivery' });

    const closedRes = await deliver(JSON.stringify(closedDelivery(8, false)), `close-8-${database}`);
    expect(closedRes.status).toBe(202);
    const failed = await waitFor(
      async () => {
        const t = await task(closed);
        return t.status === 'failed' ? t : false;
      },
      { timeoutMs: 10_000, message: 'the closed pull request did not fail the wait' },
    );
    expect(failed.error).toMatch(/Step "merged": the pull request https:\/\/ghe\.example\.test\/acme\/svc\/pull\/8 was closed without being merged/);

    expect((await task(other)).status).toBe('waiting');
    // No poll ended them: the checker was not asked again.
    expect(checks).toBe(looked);
    const db = await backend.backend.database.forSchema('scaffolder');
    const audited = (await db.raw(`select target, meta from atrium_host.audit_events where action = 'scaffolder.task.step.pull-request'`)) as {
      rows: Array<{ target: string; meta: { merged: boolean } | string }>;
    };
    expect(audited.rows.map((r) => r.target).sort()).toEqual([merged, closed].sort());
  });

  it('a GitLab merge_request hook (action merge, right X-Gitlab-Token) ends the wait on that merge request', async () => {
    const mrUrl = `https://${HOST}/acme/app/-/merge_requests/5`;
    const r = await backend.json<{ id: string }>('/api/scaffolder/v2/tasks', {
      method: 'POST',
      body: { templateRef: 'template:default/merge-wait', values: { pr: mrUrl } },
    });
    expect(r.status).toBe(201);
    await waitFor(async () => (await task(r.body.id)).status === 'waiting', { timeoutMs: 30_000, message: 'not waiting' });
    const hook = {
      object_kind: 'merge_request',
      project: { id: 1, path_with_namespace: 'acme/app' },
      object_attributes: { iid: 5, action: 'merge', state: 'merged', url: mrUrl, merge_commit_sha: 'feed000000000000000000000000000000000000' },
    };
    const post = (token: string, key: string) =>
      backend.fetch('/api/integrations/gitlab/webhook', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-gitlab-token': token, 'idempotency-key': key },
        body: JSON.stringify(hook),
      });
    expect((await post('wrong', `mr-5-bad-${database}`)).status).toBe(401);
    expect((await task(r.body.id)).status).toBe('waiting');
    const ok = await post('the-gitlab-secret', `mr-5-${database}`);
    expect(ok.status).toBe(202);
    expect(await ok.json()).toMatchObject({ status: 'accepted', event: 'merge_request' });
    const done = await waitFor(
      async () => {
        const t = await task(r.body.id);
        return t.status === 'completed' ? t : false;
      },
      { timeoutMs: 10_000, message: 'the merged merge request did not end the wait' },
    );
    expect(done.output).toMatchObject({ merge: 'merged' });
  });
});
