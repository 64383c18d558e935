import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { promisify } from 'node:util';
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHubApi, type FakeGitHubApi, type ServedResponse } from './githubApi.js';

// Every answer the fake serves is checked against GitHub's published description of its REST
// API (@octokit/openapi, api.github.com): a field the fake leaves out, renames or types wrongly
// fails here, so discovery is tested against what GitHub documents.
const require = createRequire(import.meta.url);
type Responses = Record<string, { content?: Record<string, { schema: object }> }>;
const spec = require('@octokit/openapi/generated/api.github.com.deref.json') as { paths: Record<string, Record<string, { responses: Responses }>> };

const ajv = new Ajv({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv) => void)(ajv);
ajv.addKeyword({ keyword: 'example' });
const compiled = new Map<object, ValidateFunction>();
/** OpenAPI 3.0's `nullable` beside `anyOf`/`oneOf` without a `type`, written in JSON Schema terms (ajv needs a type with it). */
const normalize = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(normalize);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = normalize(v);
  if (out['nullable'] === true && out['type'] === undefined) {
    const { nullable: _n, ...rest } = out;
    return { anyOf: [rest, { type: 'null' }] };
  }
  return out;
};
const validatorFor = (schema: object) => {
  if (!compiled.has(schema)) compiled.set(schema, ajv.compile(normalize(schema) as object));
  return compiled.get(schema)!;
};
const basicError = spec.paths['/repos/{owner}/{repo}/contents/{path}']!['get']!.responses['404']!.content!['application/json']!.schema;

let gh: FakeGitHubApi;
let octokit: Octokit;
beforeAll(async () => {
  gh = await startFakeGitHubApi();
  gh.addToken('ghp_schema', { login: 'octo', scopes: ['repo'] });
  gh.addTeam({ org: 'acme', slug: 'platform', name: 'Platform', members: ['ann', 'bob'] });
  gh.addTeam({ org: 'acme', slug: 'payments', parent: 'platform', members: ['bob'] });
  for (let i = 0; i < 120; i++)
    gh.addRepo({
      owner: 'acme',
      name: `repo-${i}`,
      topics: ['x'],
      language: i % 2 ? 'Go' : null,
      adminTeams: ['platform'],
      files: { 'catalog-info.yaml': `kind: Component\n# ${i}`, 'services/a/catalog-info.yaml': 'x: 1' },
    });
  gh.addRepo({ owner: 'octo', name: 'mine', visibility: 'private', archived: true });
  // What the entity cards read: workflow runs, open pull requests, the last commit.
  gh.commit('acme', 'repo-1', { message: 'Fix the build', author: 'ann' });
  gh.addWorkflowRun('acme', 'repo-1', { workflow: 'CI', conclusion: 'failure', actor: 'ann' });
  gh.addWorkflowRun('acme', 'repo-1', { workflow: 'Deploy', status: 'in_progress', branch: 'feature' });
  gh.openPullRequest('acme', 'repo-1', { title: 'Add a health check', author: 'bob', draft: true });
  octokit = new Octokit({ baseUrl: gh.url, auth: 'ghp_schema' });
});
afterAll(() => gh.stop());

describe('the fake GitHub REST API', () => {
  it('serves only answers GitHub documents (every response validated against @octokit/openapi)', async () => {
    // Every operation discovery and org sync use, including 304s, 404s and limits.
    const all = await octokit.paginate(octokit.rest.repos.listForOrg, { org: 'acme', per_page: 100 });
    expect(all).toHaveLength(120);
    await octokit.rest.repos.listForUser({ username: 'octo', per_page: 100 });
    await octokit.rest.users.getAuthenticated();
    const file = await octokit.rest.repos.getContent({ owner: 'acme', repo: 'repo-1', path: 'catalog-info.yaml', ref: 'main' });
    await expect(
      octokit.rest.repos.getContent({
        owner: 'acme',
        repo: 'repo-1',
        path: 'catalog-info.yaml',
        ref: 'main',
        headers: { 'if-none-match': String(file.headers.etag) },
      }),
    ).rejects.toMatchObject({ status: 304 });
    await expect(octokit.rest.repos.getContent({ owner: 'acme', repo: 'repo-1', path: 'missing.yaml' })).rejects.toMatchObject({ status: 404 });
    await octokit.rest.git.getTree({ owner: 'acme', repo: 'repo-2', tree_sha: 'main', recursive: 'true' });
    await octokit.rest.repos.listTeams({ owner: 'acme', repo: 'repo-3' });
    await octokit.rest.teams.list({ org: 'acme' });
    await octokit.rest.teams.listMembersInOrg({ org: 'acme', team_slug: 'platform' });
    const runs = await octokit.rest.actions.listWorkflowRunsForRepo({ owner: 'acme', repo: 'repo-1', per_page: 5 });
    expect(runs.data.workflow_runs.map((r) => [r.name, r.status, r.conclusion, r.head_branch])).toEqual([
      ['Deploy', 'in_progress', null, 'feature'],
      ['CI', 'completed', 'failure', 'main'],
    ]);
    const pulls = await octokit.rest.pulls.list({ owner: 'acme', repo: 'repo-1', state: 'open' });
    expect(pulls.data[0]).toMatchObject({ number: 1, title: 'Add a health check', draft: true, user: { login: 'bob' } });
    const commits = await octokit.rest.repos.listCommits({ owner: 'acme', repo: 'repo-1', per_page: 1 });
    expect(commits.data[0]).toMatchObject({ commit: { message: 'Fix the build', author: { name: 'ann' } } });
    await expect(octokit.rest.repos.listCommits({ owner: 'acme', repo: 'repo-1', sha: 'no-such-branch' })).rejects.toMatchObject({ status: 404 });
    gh.failServerNext();
    await expect(octokit.rest.pulls.list({ owner: 'acme', repo: 'repo-1' })).rejects.toMatchObject({ status: 500 });
    // One operation only: its next request fails, the others beside it are served.
    gh.failServerNext({ operation: '/repos/{owner}/{repo}/pulls', status: 502 });
    expect((await octokit.rest.repos.listCommits({ owner: 'acme', repo: 'repo-1', per_page: 1 })).status).toBe(200);
    await expect(octokit.rest.pulls.list({ owner: 'acme', repo: 'repo-1' })).rejects.toMatchObject({ status: 502 });
    expect((await octokit.rest.pulls.list({ owner: 'acme', repo: 'repo-1' })).status).toBe(200);
    gh.failNext({ status: 429, retryAfterSeconds: 3 });
    await expect(octokit.rest.repos.listForOrg({ org: 'acme' })).rejects.toMatchObject({ status: 429 });
    gh.failNext({ status: 403, retryAfterSeconds: 3 });
    await expect(octokit.rest.teams.list({ org: 'acme' })).rejects.toMatchObject({ status: 403 });
    // A GitHub App: its JWT reads /app and the org's installation, and gets an installation token.
    const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    gh.addApp({ appId: 4242, slug: 'atrium-test', publicKey, installations: [{ id: 77, account: 'acme' }] });
    const asApp = new Octokit({ baseUrl: gh.url, authStrategy: createAppAuth, auth: { appId: 4242, privateKey } });
    expect((await asApp.rest.apps.getAuthenticated()).data).toMatchObject({ slug: 'atrium-test' });
    expect((await asApp.rest.apps.getOrgInstallation({ org: 'acme' })).data.id).toBe(77);
    const asInstallation = new Octokit({ baseUrl: gh.url, authStrategy: createAppAuth, auth: { appId: 4242, privateKey, installationId: 77 } });
    expect((await asInstallation.rest.repos.listForOrg({ org: 'acme', per_page: 5 })).data).toHaveLength(5);
    const wrongKey = crypto.generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
    await expect(
      new Octokit({ baseUrl: gh.url, authStrategy: createAppAuth, auth: { appId: 4242, privateKey: wrongKey } }).rest.apps.getAuthenticated(),
    ).rejects.toMatchObject({ status: 401 });
    gh.setRateLimit({ limit: 10, remaining: 0 });
    await expect(octokit.rest.users.getAuthenticated()).rejects.toMatchObject({ status: 403 });
    gh.setRateLimit({ limit: 5000 });

    expect(gh.served.length).toBeGreaterThan(10);
    const operations = new Set<string>();
    for (const served of gh.served) {
      const op = spec.paths[served.operation]?.[served.method.toLowerCase()];
      expect(op, `${served.operation} is not a GitHub operation`).toBeDefined();
      operations.add(served.operation);
      const documented = op!.responses[String(served.status)];
      const schema = documented?.content?.['application/json']?.schema ?? (served.status >= 400 ? basicError : undefined);
      if (!documented && served.status < 400) throw new Error(`${served.operation} answered ${served.status}, which GitHub does not document`);
      if (schema) {
        const validate = validatorFor(schema);
        expect(validate(served.body), `${served.method} ${served.operation} ${served.status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      } else {
        expect(served.body, `${served.operation} ${served.status} has no body`).toBeUndefined();
      }
      // The rate-limit headers GitHub sends with every authenticated answer.
      if (served.status !== 401 && served.headers['retry-after'] === undefined) expect(served.headers['x-ratelimit-remaining']).toMatch(/^\d+$/);
    }
    expect([...operations].sort()).toEqual(
      [
        '/app',
        '/app/installations/{installation_id}/access_tokens',
        '/orgs/{org}/installation',
        '/orgs/{org}/repos',
        '/orgs/{org}/teams',
        '/orgs/{org}/teams/{team_slug}/members',
        '/repos/{owner}/{repo}/contents/{path}',
        '/repos/{owner}/{repo}/git/trees/{tree_sha}',
        '/repos/{owner}/{repo}/teams',
        '/repos/{owner}/{repo}/actions/runs',
        '/repos/{owner}/{repo}/pulls',
        '/repos/{owner}/{repo}/commits',
        '/user',
        '/users/{username}/repos',
      ].sort(),
    );
  });

  it('the schema check has teeth: a repository without full_name or with a string id is refused', () => {
    const schema = spec.paths['/orgs/{org}/repos']!['get']!.responses['200']!.content!['application/json']!.schema;
    const validate = validatorFor(schema);
    const repo = gh.repoJson('acme', 'repo-1');
    expect(validate([repo])).toBe(true);
    const { full_name: _omit, ...withoutName } = repo;
    expect(validate([withoutName])).toBe(false);
    expect(validate([{ ...repo, id: '1' }])).toBe(false);
  });

  it('paginates with Link headers and answers If-None-Match with 304 (not counted)', async () => {
    const first = await octokit.rest.repos.listForOrg({ org: 'acme', per_page: 100, page: 1 });
    expect(first.headers.link).toMatch(/page=2>; rel="next"/);
    const second = await octokit.rest.repos.listForOrg({ org: 'acme', per_page: 100, page: 2 });
    expect(second.data).toHaveLength(20);
    expect(second.headers.link).not.toMatch(/rel="next"/);
    const before = gh.counted();
    await expect(
      octokit.rest.repos.listForOrg({ org: 'acme', per_page: 100, page: 1, headers: { 'if-none-match': String(first.headers.etag) } }),
    ).rejects.toMatchObject({ status: 304 });
    expect(gh.counted()).toBe(before);
  });
});

/** Each answer is a documented status of a GitHub operation, and its body validates against the documented schema. */
function expectDocumented(list: ServedResponse[]): Set<string> {
  const operations = new Set<string>();
  for (const served of list) {
    const op = spec.paths[served.operation]?.[served.method.toLowerCase()];
    expect(op, `${served.method} ${served.operation} is not a GitHub operation`).toBeDefined();
    operations.add(`${served.method} ${served.operation}`);
    const documented = op!.responses[String(served.status)];
    if (!documented && served.status < 400) throw new Error(`${served.method} ${served.operation} answered ${served.status}, which GitHub does not document`);
    const schema = documented?.content?.['application/json']?.schema ?? (served.status >= 400 ? basicError : undefined);
    if (schema) {
      const validate = validatorFor(schema);
      expect(validate(served.body), `${served.method} ${served.operation} ${served.status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    } else {
      expect(served.body, `${served.method} ${served.operation} ${served.status} has no body`).toBeUndefined();
    }
    expect(served.headers['x-ratelimit-remaining']).toMatch(/^\d+$/);
  }
  return operations;
}

describe('the fake GitHub REST API: the writes of the scaffolder actions, and git over smart HTTP', () => {
  // Asynchronous: the fake answers git from this same process.
  const gitAs = async (token: string, cwd: string, args: string[]) =>
    (
      await promisify(execFile)('git', ['-c', `http.extraHeader=Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`, ...args], {
        cwd,
        env: {
          PATH: process.env['PATH'],
          HOME: os.tmpdir(),
          GIT_TERMINAL_PROMPT: '0',
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@x',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@x',
        },
      })
    ).stdout;

  it('creates repositories, takes pushes, sets topics and protection, opens pull requests, dispatches workflows, adds webhooks; all as GitHub documents', async () => {
    const from = gh.served.length;
    expect((await octokit.rest.users.getByUsername({ username: 'octo' })).data).toMatchObject({ login: 'octo', type: 'User' });
    expect((await octokit.rest.users.getByUsername({ username: 'acme' })).data).toMatchObject({ login: 'acme', type: 'Organization' });
    await expect(octokit.rest.users.getByUsername({ username: 'nobody-here' })).rejects.toMatchObject({ status: 404 });

    const made = await octokit.rest.repos.createInOrg({ org: 'acme', name: 'made', private: true, description: 'new', delete_branch_on_merge: true });
    expect(made.status).toBe(201);
    expect(made.data).toMatchObject({ full_name: 'acme/made', private: true, size: 0, delete_branch_on_merge: true });
    await expect(octokit.rest.repos.createInOrg({ org: 'acme', name: 'made' })).rejects.toMatchObject({ status: 422 });
    await expect(octokit.rest.repos.createInOrg({ org: 'no-such-org', name: 'x' })).rejects.toMatchObject({ status: 404 });
    expect((await octokit.rest.repos.createForAuthenticatedUser({ name: 'own' })).data.owner.login).toBe('octo');
    expect((await octokit.rest.repos.replaceAllTopics({ owner: 'acme', repo: 'made', names: ['a', 'b-c'] })).data.names).toEqual(['a', 'b-c']);
    await expect(octokit.rest.repos.replaceAllTopics({ owner: 'acme', repo: 'made', names: ['Not Valid'] })).rejects.toMatchObject({ status: 422 });

    // git: a push to the empty repository (its first branch becomes the default), then a branch.
    const work = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'atrium-fake-github-push-'));
    try {
      const remote = `${gh.url}/acme/made.git`;
      fs.mkdirSync(nodePath.join(work, '.github/workflows'), { recursive: true });
      fs.writeFileSync(nodePath.join(work, 'catalog-info.yaml'), 'kind: Component\n');
      fs.writeFileSync(nodePath.join(work, '.github/workflows/ci.yml'), 'on:\n  workflow_dispatch:\n');
      fs.writeFileSync(nodePath.join(work, '.github/workflows/push-only.yml'), 'on: push\n');
      await gitAs('ghp_schema', work, ['init', '--quiet', '--initial-branch=trunk']);
      await gitAs('ghp_schema', work, ['add', '--all']);
      await gitAs('ghp_schema', work, ['commit', '--quiet', '-m', 'first']);
      await expect(gitAs('not-a-token', work, ['push', '--quiet', remote, 'HEAD:refs/heads/trunk'])).rejects.toThrow(
        /401|Authentication failed|terminal prompts disabled|could not read Username/,
      );
      await gitAs('ghp_schema', work, ['push', '--quiet', remote, 'HEAD:refs/heads/trunk']);
      fs.writeFileSync(nodePath.join(work, 'README.md'), '# made\n');
      await gitAs('ghp_schema', work, ['checkout', '--quiet', '-b', 'feature']);
      await gitAs('ghp_schema', work, ['add', '--all']);
      await gitAs('ghp_schema', work, ['commit', '--quiet', '-m', 'readme']);
      await gitAs('ghp_schema', work, ['push', '--quiet', remote, 'HEAD:refs/heads/feature']);
      // And back: a clone sees both branches.
      const clone = nodePath.join(work, 'clone');
      await gitAs('ghp_schema', work, ['clone', '--quiet', remote, clone]);
      expect(fs.readFileSync(nodePath.join(clone, 'catalog-info.yaml'), 'utf8')).toBe('kind: Component\n');
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
    expect((await octokit.rest.repos.get({ owner: 'acme', repo: 'made' })).data.default_branch).toBe('trunk');
    const file = await octokit.rest.repos.getContent({ owner: 'acme', repo: 'made', path: 'catalog-info.yaml' });
    expect(Buffer.from((file.data as { content: string }).content, 'base64').toString('utf8')).toBe('kind: Component\n');
    expect(await gh.branchFiles('acme', 'made', 'feature')).toMatchObject({ 'README.md': '# made\n' });

    const protection = await octokit.rest.repos.updateBranchProtection({
      owner: 'acme',
      repo: 'made',
      branch: 'trunk',
      required_status_checks: { strict: true, contexts: ['ci'] },
      enforce_admins: true,
      required_pull_request_reviews: { required_approving_review_count: 2 },
      restrictions: null,
    });
    expect(protection.data.required_pull_request_reviews?.required_approving_review_count).toBe(2);
    await expect(
      octokit.rest.repos.updateBranchProtection({
        owner: 'acme',
        repo: 'made',
        branch: 'nope',
        required_status_checks: null,
        enforce_admins: null,
        required_pull_request_reviews: null,
        restrictions: null,
      }),
    ).rejects.toMatchObject({ status: 404 });

    const pr = await octokit.rest.pulls.create({ owner: 'acme', repo: 'made', title: 'Readme', head: 'feature', base: 'trunk', body: 'Adds it', draft: true });
    expect(pr.data).toMatchObject({ number: 1, state: 'open', draft: true, head: { ref: 'feature' }, base: { ref: 'trunk' } });
    await expect(octokit.rest.pulls.create({ owner: 'acme', repo: 'made', title: 'Again', head: 'feature', base: 'trunk' })).rejects.toMatchObject({
      status: 422,
    });
    await expect(octokit.rest.pulls.create({ owner: 'acme', repo: 'made', title: 'None', head: 'missing', base: 'trunk' })).rejects.toMatchObject({
      status: 422,
    });
    expect((await octokit.rest.pulls.list({ owner: 'acme', repo: 'made' })).data.map((p) => p.number)).toEqual([1]);

    const dispatched = await octokit.rest.actions.createWorkflowDispatch({
      owner: 'acme',
      repo: 'made',
      workflow_id: 'ci.yml',
      ref: 'trunk',
      inputs: { a: '1' },
    });
    expect(dispatched.status).toBe(204);
    await expect(octokit.rest.actions.createWorkflowDispatch({ owner: 'acme', repo: 'made', workflow_id: 'missing.yml', ref: 'trunk' })).rejects.toMatchObject({
      status: 404,
    });
    await expect(octokit.rest.actions.createWorkflowDispatch({ owner: 'acme', repo: 'made', workflow_id: 'ci.yml', ref: 'nope' })).rejects.toMatchObject({
      status: 422,
    });
    await expect(
      octokit.rest.actions.createWorkflowDispatch({ owner: 'acme', repo: 'made', workflow_id: 'push-only.yml', ref: 'trunk' }),
    ).rejects.toMatchObject({
      status: 422,
    });

    const hook = await octokit.rest.repos.createWebhook({
      owner: 'acme',
      repo: 'made',
      config: { url: 'https://hooks.example.com/x', content_type: 'json', secret: 's' },
      events: ['push'],
    });
    expect(hook.data).toMatchObject({ name: 'web', active: true, events: ['push'], config: { url: 'https://hooks.example.com/x', secret: '********' } });
    await expect(octokit.rest.repos.createWebhook({ owner: 'acme', repo: 'made', config: { url: 'https://hooks.example.com/x' } })).rejects.toMatchObject({
      status: 422,
    });

    expect(gh.repoState('acme', 'made')).toMatchObject({
      defaultBranch: 'trunk',
      topics: ['a', 'b-c'],
      dispatches: [{ workflowId: 'ci.yml', ref: 'trunk', inputs: { a: '1' } }],
      hooks: [{ url: 'https://hooks.example.com/x', contentType: 'json', secret: 's', events: ['push'] }],
      pulls: [{ number: 1, head: 'feature', base: 'trunk', draft: true }],
    });

    const operations = expectDocumented(gh.served.slice(from));
    for (const op of [
      'GET /users/{username}',
      'POST /orgs/{org}/repos',
      'POST /user/repos',
      'GET /repos/{owner}/{repo}',
      'PUT /repos/{owner}/{repo}/topics',
      'PUT /repos/{owner}/{repo}/branches/{branch}/protection',
      'POST /repos/{owner}/{repo}/pulls',
      'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches',
      'POST /repos/{owner}/{repo}/hooks',
    ])
      expect(operations, op).toContain(op);
  }, 60_000);
});
