import { createRequire } from 'node:module';
import { sign } from '@octokit/webhooks-methods';
import { catalogPlugin, catalogServiceRef } from '@atrium/plugin-catalog/backend';
import { startFakeGitHubApi, startTestBackend, testDatabaseKinds, waitFor, type FakeGitHubApi } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscoveryStatus } from '../../common/index.js';
import { integrationsPlugin } from '../plugin.js';

// GitHub's own example deliveries (@octokit/webhooks-examples), replayed signed as GitHub signs them.
const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples/api.github.com/index.json') as Array<{ name: string; examples: Array<Record<string, unknown>> }>;
const example = (name: string, pick: (e: Record<string, unknown>) => boolean = () => true) => {
  const found = examples.find((e) => e.name === name)!.examples.find(pick);
  if (!found) throw new Error(`no ${name} example`);
  return structuredClone(found);
};
const pushExample = example('push', (e) => e['ref'] === `refs/heads/${(e['repository'] as { default_branch: string }).default_branch}`);
const repoInPush = pushExample['repository'] as { id: number; name: string; owner: { login: string }; default_branch: string };
const OWNER = repoInPush.owner.login;
const SECRET = 'It’s a Secret to Everybody';
const TOKEN = 'ghp_discoverytesttoken000000000000000000';

const descriptor = (name: string, description = 'a service') =>
  `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\n  description: ${description}\nspec:\n  type: service\n  lifecycle: production\n  owner: group:default/team-a\n`;

describe.each(testDatabaseKinds())('GitHub discovery on %s', (database) => {
  let gh: FakeGitHubApi;
  let t: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    gh = await startFakeGitHubApi();
    gh.addToken(TOKEN, { login: 'atrium-bot' });
    gh.addRepo({
      id: repoInPush.id,
      owner: OWNER,
      name: repoInPush.name,
      defaultBranch: repoInPush.default_branch,
      files: { 'catalog-info.yaml': descriptor('hello-world', 'before the push') },
    });
    for (let i = 0; i < 140; i++) {
      gh.addRepo({
        owner: OWNER,
        name: `svc-${i}`,
        topics: i % 2 ? ['backend'] : [],
        language: 'Go',
        files: i % 3 === 0 ? { 'catalog-info.yaml': descriptor(`svc-${i}`) } : {},
      });
    }
    gh.addRepo({ owner: OWNER, name: 'broken', files: { 'catalog-info.yaml': 'kind: [unclosed\n  - : :' } });
    gh.addRepo({ owner: OWNER, name: 'not-an-entity', files: { 'catalog-info.yaml': '- just\n- a list\n' } });
    gh.addRepo({ owner: OWNER, name: '--upload-pack', files: { 'catalog-info.yaml': descriptor('evil-1') } });
    gh.addRepo({ owner: OWNER, name: '..', files: { 'catalog-info.yaml': descriptor('evil-2') } });
    gh.addRepo({ owner: OWNER, name: 'old', archived: true, files: { 'catalog-info.yaml': descriptor('old-one') } });
    t = await startTestBackend({
      plugins: [catalogPlugin, integrationsPlugin],
      database,
      config: {
        integrations: {
          encryptionKey: 'x'.repeat(40),
          github: [{ host: 'github.com', apiBaseUrl: gh.url, token: TOKEN, webhookSecret: SECRET }],
          discovery: { github: [{ host: 'github.com', user: OWNER, schedule: { intervalSeconds: 3600 } }] },
        },
      },
    });
  }, 180_000);
  afterAll(async () => {
    await t?.stop();
    await gh?.stop();
  });

  const status = async () => (await t.json<{ items: DiscoveryStatus[] }>('/api/integrations/discovery')).body.items[0]!;
  const catalog = () => t.backend.service(catalogServiceRef);
  const scan = (targetId: string) => t.json('/api/integrations/discovery/run?wait=true', { method: 'POST', body: { targetId } });

  it('discovers every page of repositories into the catalog; bad descriptors and names fail alone', async () => {
    const s = await waitFor(
      async () => {
        const st = await status();
        return st.scanFinishedAt && st.status === 'idle' ? st : false;
      },
      { timeoutMs: 30_000 },
    );
    expect(s.reposScanned).toBe(146);
    // 47 of svc-* have descriptors, plus hello-world; the archived one is filtered out.
    expect(s.entities).toBe(48);
    expect(await catalog().getEntityByRef('component:default/hello-world')).toBeDefined();
    expect(await catalog().getEntityByRef('component:default/svc-3')).toMatchObject({
      metadata: { annotations: { 'github.com/project-slug': `${OWNER}/svc-3` } },
    });
    expect(await catalog().getEntityByRef('component:default/old-one')).toBeUndefined();
    expect(await catalog().getEntityByRef('component:default/evil-1')).toBeUndefined();
    expect(await catalog().getEntityByRef('component:default/evil-2')).toBeUndefined();
    const errors = Object.fromEntries(s.errors.map((e) => [e.repo.split('/')[1], e.message]));
    expect(errors['broken']).toMatch(/invalid YAML/);
    expect(errors['not-an-entity']).toMatch(/not an entity/);
    expect(errors['--upload-pack']).toMatch(/refused repository name/);
    expect(errors['..']).toMatch(/refused repository name/);
  });

  it('a second scan with nothing changed costs no rate limit (every answer a 304)', async () => {
    const before = gh.counted();
    const runs = (await status()).scanFinishedAt;
    // The scheduler's job is hourly here: run the scan through the API and wait for it.
    expect((await scan((await status()).targetId)).status).toBe(200);
    expect((await status()).scanFinishedAt).not.toBe(runs);
    expect(gh.counted()).toBe(before);
    expect(gh.served.slice(-2).every((r) => r.status === 304)).toBe(true);
  });

  it('a push webhook (GitHub’s example delivery, signed) refreshes the entity; bad signature 401; replay ignored', async () => {
    gh.pushFile(OWNER, repoInPush.name, 'catalog-info.yaml', descriptor('hello-world', 'after the push'));
    const body = JSON.stringify(pushExample);
    const deliver = async (signature: string | undefined, delivery: string) =>
      t.fetch('/api/integrations/github/webhook', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'push',
          'x-github-delivery': delivery,
          ...(signature ? { 'x-hub-signature-256': signature } : {}),
        },
        body,
      });
    const bad = await deliver(await sign('not the secret', body), 'd-bad');
    expect(bad.status).toBe(401);
    expect((await deliver(undefined, 'd-none')).status).toBe(401);
    const described = async () => (await catalog().getEntityByRef('component:default/hello-world'))?.metadata.description;
    expect(await described()).toBe('before the push');

    const ok = await deliver(await sign(SECRET, body), 'd-1');
    expect(ok.status).toBe(202);
    expect(await ok.json()).toEqual({ status: 'refreshed' });
    await waitFor(async () => (await described()) === 'after the push', { timeoutMs: 5_000 });

    const replay = await deliver(await sign(SECRET, body), 'd-1');
    expect(replay.status).toBe(202);
    expect(await replay.json()).toMatchObject({ status: 'ignored', reason: 'replayed delivery' });
  });

  it('a repository deleted event (example payload) removes its entities', async () => {
    const payload = example('repository', (e) => e['action'] === 'created');
    payload['action'] = 'deleted';
    const body = JSON.stringify(payload);
    const res = await t.fetch('/api/integrations/github/webhook', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'repository',
        'x-github-delivery': 'd-del',
        'x-hub-signature-256': await sign(SECRET, body),
      },
      body,
    });
    expect(res.status).toBe(202);
    // The example's repository is not the pushed one: nothing of ours is removed.
    expect(await catalog().getEntityByRef('component:default/hello-world')).toBeDefined();
  });

  it('an unknown event, signed, is answered 202 and ignored', async () => {
    const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    const res = await t.fetch('/api/integrations/github/webhook', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'star', 'x-github-delivery': 'd-star', 'x-hub-signature-256': await sign(SECRET, body) },
      body,
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: 'ignored' });
  });

  it('a secondary rate limit pauses the scan with when it resumes, then it resumes and finishes', async () => {
    gh.pushFile(OWNER, 'svc-7', 'catalog-info.yaml', descriptor('svc-7'));
    gh.failNext({ status: 403, retryAfterSeconds: 1, count: 1 });
    await scan((await status()).targetId);
    const paused = await status();
    expect(paused.status).toBe('paused');
    expect(paused.pauseReason).toMatch(/secondary rate limit/);
    expect(paused.pausedUntil).not.toBeNull();
    await waitFor(async () => (await status()).status === 'idle', { timeoutMs: 10_000 });
    expect(await catalog().getEntityByRef('component:default/svc-7')).toBeDefined();
  });
});
