import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import {
  startFakeGitHubApi,
  startFakeGitLabApi,
  startTestBackend,
  testDatabaseKinds,
  waitFor,
  type FakeGitHubApi,
  type FakeGitLabApi,
  type TestBackend,
} from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityScmPart, EntityScmSummary } from '../../common/index.js';
import { integrationsPlugin } from '../plugin.js';

const TOKEN = 'ghp_entitycardstoken0000000000000000000';

// Admins read everything; others the entities their groups own, and the org.
const POLICY = {
  roles: { admin: { members: ['group:default/admins'] } },
  rules: [
    { id: 'admins', effect: 'allow', permissions: ['*'], roles: ['admin'] },
    { id: 'owners', effect: 'allow', permissions: ['catalog.entity.read'], conditions: { isEntityOwner: true } },
    { id: 'org', effect: 'allow', permissions: ['catalog.entity.read'], conditions: { kind: ['group', 'user'] } },
  ],
};

const component = (name: string, owner: string, annotations: Record<string, string> = {}) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, annotations },
  spec: { type: 'service', lifecycle: 'production', owner },
});
const DOCS = [
  { apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: 'admins' }, spec: { type: 'team', children: [] } },
  { apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: 'team-a' }, spec: { type: 'team', children: [] } },
  { apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: 'team-b' }, spec: { type: 'team', children: [] } },
  { apiVersion: 'backstage.io/v1alpha1', kind: 'User', metadata: { name: 'root' }, spec: { memberOf: ['admins'] } },
  { apiVersion: 'backstage.io/v1alpha1', kind: 'User', metadata: { name: 'jdoe' }, spec: { memberOf: ['team-a'] } },
  component('orders', 'team-a', { 'github.com/project-slug': 'acme/orders' }),
  component('secret', 'team-b', { 'github.com/project-slug': 'acme/orders' }),
  component('payments', 'team-a', { 'gitlab.com/project-slug': 'acme/payments', 'gitlab.com/instance': 'gitlab.test' }),
  component('plain', 'team-a'),
  component('on-ghe', 'team-a', { 'github.com/project-slug': 'acme/orders', 'backstage.io/source-location': 'url:https://ghe.example.com/acme/orders/' }),
  component('self-hosted', 'team-a', { 'gitlab.com/project-slug': 'acme/payments', 'gitlab.com/instance': 'gitlab.other.example' }),
  component('bad-slug', 'team-a', { 'github.com/project-slug': '../etc/passwd' }),
  component('flaky', 'team-a', { 'github.com/project-slug': 'acme/flaky' }),
  component('gone', 'team-a', { 'github.com/project-slug': 'acme/deleted' }),
];

type ErrorBody = { error: { name: string; message: string } };

/** A part's data, failing the test when the part is an error. */
function ok<T>(part: EntityScmPart<T>): T {
  if (part.status !== 'ok') throw new Error(`expected data, got ${JSON.stringify(part)}`);
  return part.data;
}

describe.each(testDatabaseKinds())(
  'GET /api/integrations/entity/:kind/:namespace/:name/scm (entity cards) against the fake GitHub and GitLab on %s',
  (database) => {
    let dir: string;
    let gh: FakeGitHubApi;
    let gitlab: FakeGitLabApi;
    let t: TestBackend;
    const as: Record<string, Record<string, string>> = {};
    const scm = <T>(who: string, name: string, query = '') =>
      t.json<T>(`/api/integrations/entity/component/default/${name}/scm${query}`, { headers: as[who] ?? {} });

    beforeAll(async () => {
      gh = await startFakeGitHubApi();
      gh.addToken(TOKEN, { login: 'atrium-bot' });
      gh.addRepo({ owner: 'acme', name: 'orders' });
      gh.addRepo({ owner: 'acme', name: 'flaky' });
      gh.commit('acme', 'orders', { message: 'Retry payments on timeout\n\nWith a backoff.', author: 'ann' });
      gh.addWorkflowRun('acme', 'orders', { workflow: 'CI', conclusion: 'failure', actor: 'ann' });
      gh.addWorkflowRun('acme', 'orders', { workflow: 'Deploy', status: 'in_progress', branch: 'release' });
      gh.openPullRequest('acme', 'orders', { title: 'Add a health check', author: 'bob', draft: true });

      gitlab = await startFakeGitLabApi();
      gitlab.addGroup({ fullPath: 'acme' });
      gitlab.addUser({ username: 'carol', name: 'Carol' });
      gitlab.addProject({ pathWithNamespace: 'acme/payments' });
      gitlab.commit('acme/payments', { message: 'Bump the client', author: 'carol' });
      gitlab.addPipeline('acme/payments', { status: 'failed' });
      gitlab.addPipeline('acme/payments', { status: 'running', ref: 'feature' });
      gitlab.openMergeRequest('acme/payments', { title: 'Split the ledger', author: 'carol' });

      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-entity-scm-'));
      fs.writeFileSync(path.join(dir, 'catalog.yaml'), DOCS.map((d) => JSON.stringify(d)).join('\n---\n'));
      t = await startTestBackend({
        database,
        plugins: [catalogPlugin, integrationsPlugin],
        configDir: dir,
        config: {
          catalog: { processingPollMs: 100, readers: { fileRoots: [dir] }, locations: [{ type: 'file', target: 'catalog.yaml' }] },
          integrations: {
            encryptionKey: 'x'.repeat(40),
            github: [{ host: 'github.com', apiBaseUrl: gh.url, token: TOKEN }],
            gitlab: [{ host: 'gitlab.test', apiBaseUrl: gitlab.apiUrl, token: gitlab.token }],
          },
          permission: { policy: POLICY },
        },
      });
      as['root'] = { cookie: `atrium_session=${(await t.backend.auth.sessions.create('user:default/root')).secret}` };
      await waitFor(async () => (await scm('root', 'gone')).status === 502, { timeoutMs: 60_000, message: 'the catalog read its entities' });
      as['jdoe'] = { cookie: `atrium_session=${(await t.backend.auth.sessions.create('user:default/jdoe')).secret}` };
    }, 120_000);
    afterAll(async () => {
      await t?.stop();
      await gh?.stop();
      await gitlab?.stop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('GitHub: the latest workflow runs, open pull requests and last commit, read with the configured token', async () => {
      const r = await scm<EntityScmSummary>('jdoe', 'orders');
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ provider: 'github', host: 'github.com', project: 'acme/orders', projectUrl: 'https://github.com/acme/orders' });
      expect(ok(r.body.runs).map((x) => [x.name, x.state, x.detail, x.branch])).toEqual([
        ['Deploy', 'running', 'in_progress', 'release'],
        ['CI', 'failure', 'failure', 'main'],
      ]);
      expect(ok(r.body.changes)).toEqual([expect.objectContaining({ reference: '#1', title: 'Add a health check', author: 'bob', draft: true })]);
      expect(ok(r.body.lastCommit)).toMatchObject({
        title: 'Retry payments on timeout',
        author: 'ann',
        message: 'Retry payments on timeout\n\nWith a backoff.',
      });
      expect(ok(r.body.runs)[0]?.url).toMatch(/^https:\/\/github\.com\/acme\/orders\/actions\/runs\/\d+$/);
    });

    it('GitLab: pipelines, open merge requests and last commit through @gitbeaker/rest', async () => {
      const r = await scm<EntityScmSummary>('jdoe', 'payments');
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ provider: 'gitlab', host: 'gitlab.test', project: 'acme/payments', projectUrl: `${gitlab.url}/acme/payments` });
      expect(ok(r.body.runs).map((x) => [x.state, x.detail, x.branch])).toEqual([
        ['running', 'running', 'feature'],
        ['failure', 'failed', 'main'],
      ]);
      expect(ok(r.body.changes)).toEqual([expect.objectContaining({ reference: '!1', title: 'Split the ledger', author: 'carol', draft: false })]);
      expect(ok(r.body.lastCommit)).toMatchObject({ title: 'Bump the client', author: 'Carol' });
    });

    it('an entity the caller may not read is a 404 worded like a missing one', async () => {
      const hidden = await scm<ErrorBody>('jdoe', 'secret');
      const missing = await scm<ErrorBody>('jdoe', 'no-such-thing');
      expect([hidden.status, missing.status]).toEqual([404, 404]);
      expect(hidden.body.error.message).toBe('Entity component:default/secret is not in the catalog');
      expect(missing.body.error.message).toBe('Entity component:default/no-such-thing is not in the catalog');
      expect((await scm('root', 'secret')).status).toBe(200);
    });

    it('says what to fix: no annotation (404), a bad annotation or an unconfigured host (422 naming the config key)', async () => {
      const plain = await scm<ErrorBody>('root', 'plain');
      expect(plain.status).toBe(404);
      expect(plain.body.error.message).toMatch(/names no repository: add the annotation github\.com\/project-slug .* or gitlab\.com\/project-slug/);
      const ghe = await scm<ErrorBody>('root', 'on-ghe');
      expect(ghe.status).toBe(422);
      expect(ghe.body.error.name).toBe('IntegrationNotConfiguredError');
      expect(ghe.body.error.message).toMatch(/No GitHub integration for host ghe\.example\.com .* under integrations\.github/);
      const selfHosted = await scm<ErrorBody>('root', 'self-hosted');
      expect(selfHosted.status).toBe(422);
      expect(selfHosted.body.error.message).toMatch(/No GitLab integration for host gitlab\.other\.example .* under integrations\.gitlab/);
      const bad = await scm<ErrorBody>('root', 'bad-slug');
      expect(bad.status).toBe(422);
      expect(bad.body.error).toMatchObject({ name: 'InvalidAnnotationError' });
      expect(bad.body.error.message).toContain('"../etc/passwd", which is not a GitHub repository');
    });

    it('the provider failing on every part is a 502 naming what it answered; nothing of it is kept', async () => {
      gh.failServerNext({ count: 3 });
      const failed = await scm<ErrorBody>('root', 'flaky');
      expect(failed.status).toBe(502);
      expect(failed.body.error.message).toMatch(/^GitHub \(github\.com\) answered 500 for acme\/flaky/);
      expect((await scm('root', 'flaky')).status).toBe(200);
      const gone = await scm<ErrorBody>('root', 'gone');
      expect(gone.status).toBe(502);
      expect(gone.body.error.message).toMatch(
        /answered 404 for acme\/deleted: acme\/deleted does not exist there, or the integration’s credentials cannot see it/,
      );
      gitlab.failNext(3, 500);
      const gl = await scm<ErrorBody>('root', 'payments', '?refresh=true');
      expect(gl.status).toBe(502);
      expect(gl.body.error.message).toMatch(/^GitLab \(gitlab\.test\) answered 500 for acme\/payments/);
    });

    it('one part failing leaves the others: GitHub pull requests answer 502, runs and the last commit still show', async () => {
      gh.failServerNext({ operation: '/repos/{owner}/{repo}/pulls', status: 502 });
      const partial = await scm<EntityScmSummary>('jdoe', 'orders', '?refresh=true');
      expect(partial.status).toBe(200);
      expect(ok(partial.body.runs).map((x) => x.name)).toEqual(['Deploy', 'CI']);
      expect(ok(partial.body.lastCommit)).toMatchObject({ title: 'Retry payments on timeout' });
      expect(partial.body.changes).toEqual({
        status: 'error',
        error: {
          name: 'BadGatewayError',
          message: expect.stringMatching(/^GitHub \(github\.com\) answered 502 for acme\/orders \(Server Error\)$/),
          upstreamStatus: 502,
        },
      });
      // A partial answer is not kept: the next request asks GitHub again and gets every part.
      const served = gh.served.length;
      const again = await scm<EntityScmSummary>('jdoe', 'orders');
      expect(gh.served.length).toBeGreaterThan(served);
      expect(ok(again.body.changes).map((c) => c.reference)).toEqual(['#1']);
    });

    it('one part failing leaves the others: GitLab merge requests answer 500, pipelines and the last commit still show', async () => {
      gitlab.failNext(1, 500, { path: /\/merge_requests$/ });
      const partial = await scm<EntityScmSummary>('jdoe', 'payments', '?refresh=true');
      expect(partial.status).toBe(200);
      expect(ok(partial.body.runs)).toHaveLength(2);
      expect(ok(partial.body.lastCommit)).toMatchObject({ title: 'Bump the client' });
      expect(partial.body.changes).toMatchObject({
        status: 'error',
        error: { name: 'BadGatewayError', message: expect.stringMatching(/^GitLab \(gitlab\.test\) answered 500 for acme\/payments/), upstreamStatus: 500 },
      });
      expect(ok((await scm<EntityScmSummary>('jdoe', 'payments')).body.changes)).toHaveLength(1);
    });

    it('answers are kept per replica; a refresh asks again with ETags (unchanged answers are uncounted 304s)', async () => {
      expect((await scm('root', 'orders')).status).toBe(200);
      const served = gh.served.length;
      expect((await scm('jdoe', 'orders')).status).toBe(200);
      expect(gh.served.length).toBe(served);
      const counted = gh.counted();
      expect((await scm('root', 'orders', '?refresh=true')).status).toBe(200);
      expect(gh.served.slice(served).map((s) => s.status)).toEqual([304, 304, 304]);
      expect(gh.counted()).toBe(counted);
      gh.openPullRequest('acme', 'orders', { title: 'Second change', author: 'ann' });
      const after = await scm<EntityScmSummary>('root', 'orders', '?refresh=true');
      expect(ok(after.body.changes).map((c) => c.reference)).toEqual(['#2', '#1']);
      expect(gh.counted()).toBe(counted + 1);
    });
  },
);
