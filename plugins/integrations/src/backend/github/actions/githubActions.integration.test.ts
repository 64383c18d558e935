import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import { scaffolderPlugin } from '@atrium/plugin-scaffolder/backend';
import { startFakeGitHubApi, startTestBackend, type FakeGitHubApi, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrationsPlugin } from '../../plugin.js';

const HOST = 'ghe.example.com';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const template = (name: string, parameters: string, steps: string, output = '') => `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: { name: ${name}, title: ${name} }
spec:
  type: service
  owner: group:default/team-a
  parameters:
    - title: Basics
      properties:
${parameters}
  steps:
${steps}
${output ? `${output}\n` : ''}`;

/** Every GitHub action in one template, as a Backstage template would chain them. */
const ALL_STEPS = `    - id: fetch
      action: fetch:template
      input: { url: ./skeleton, values: { name: '\${{ parameters.name }}' } }
    - id: publish
      action: publish:github
      input:
        repoUrl: '${HOST}?owner=acme&repo=\${{ parameters.name }}'
        description: 'Service \${{ parameters.name }}'
        defaultBranch: main
        repoVisibility: internal
        topics: [atrium, service]
        gitCommitMessage: 'Create \${{ parameters.name }}'
        deleteBranchOnMerge: true
        requiredApprovingReviewCount: 2
        collaborators: [{ user: ann, access: admin }]
    - id: change
      action: fetch:template
      input: { url: ./change, targetPath: ./change, values: { name: '\${{ parameters.name }}' } }
    - id: pr
      action: publish:github:pull-request
      input:
        repoUrl: '${HOST}?owner=acme&repo=\${{ parameters.name }}'
        branchName: add-docs
        title: Add docs
        description: 'Docs for \${{ parameters.name }}'
        sourcePath: change
        targetPath: docs
        draft: true
    - id: hook
      action: github:webhook
      input:
        repoUrl: '${HOST}?owner=acme&repo=\${{ parameters.name }}'
        webhookUrl: https://hooks.example.com/github
        webhookSecret: '\${{ secrets.hookSecret }}'
        events: [push, pull_request]
        contentType: json
    - id: dispatch
      action: github:actions:dispatch
      input:
        repoUrl: '${HOST}?owner=acme&repo=\${{ parameters.name }}'
        workflowId: ci.yml
        branchOrTagName: main
        workflowInputs: { service: '\${{ parameters.name }}', verbose: true }
    - id: create
      action: github:repo:create
      input: { repoUrl: '${HOST}?owner=acme&repo=\${{ parameters.name }}-docs', repoVisibility: public, description: Docs }
    - id: push
      action: github:repo:push
      input:
        repoUrl: '${HOST}?owner=acme&repo=\${{ parameters.name }}-docs'
        defaultBranch: trunk
        sourcePath: change
        protectDefaultBranch: false
        gitCommitMessage: Docs`;

const ALL_OUTPUT = `  output:
    remoteUrl: '\${{ steps.publish.output.remoteUrl }}'
    repoContentsUrl: '\${{ steps.publish.output.repoContentsUrl }}'
    commitHash: '\${{ steps.publish.output.commitHash }}'
    pullRequestUrl: '\${{ steps.pr.output.remoteUrl }}'
    pullRequestNumber: '\${{ steps.pr.output.pullRequestNumber }}'
    targetBranchName: '\${{ steps.pr.output.targetBranchName }}'
    docsContentsUrl: '\${{ steps.push.output.repoContentsUrl }}'`;

const files: Record<string, string> = {
  'catalog.yaml': `apiVersion: backstage.io/v1alpha1
kind: Location
metadata: { name: github-actions-fixtures }
spec:
  targets: [./templates.yaml]
`,
  'templates.yaml': [
    `apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-a }
spec: { type: team, children: [] }
`,
    template('github-all', '        name: { type: string }', ALL_STEPS, ALL_OUTPUT),
    template(
      'github-publish',
      '        repoUrl: { type: string }',
      `    - id: publish
      action: publish:github
      input: { repoUrl: '\${{ parameters.repoUrl }}', defaultBranch: main }`,
    ),
    template(
      'github-hook',
      '        webhookUrl: { type: string }',
      `    - id: hook
      action: github:webhook
      input: { repoUrl: '${HOST}?owner=acme&repo=existing', webhookUrl: '\${{ parameters.webhookUrl }}' }`,
    ),
  ].join('---\n'),
  'skeleton/catalog-info.yaml':
    'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${{ values.name }}\nspec: { type: service, lifecycle: experimental, owner: team-a }\n',
  'skeleton/src/index.ts': 'export const name = "${{ values.name }}";\n',
  'skeleton/.github/workflows/ci.yml': 'name: CI\non:\n  push:\n  workflow_dispatch:\n    inputs:\n      service: { type: string }\njobs: {}\n',
  'change/README.md': '# ${{ values.name }}\n\nHow to run it.\n',
};

describe('GitHub scaffolder actions: real tasks through the backend against the fake GitHub', () => {
  let gh: FakeGitHubApi;
  let backend: TestBackend;
  let root: string;

  beforeAll(async () => {
    gh = await startFakeGitHubApi();
    gh.addToken('ghp_actions', { login: 'octo', scopes: ['repo', 'read:org'] });
    gh.addOrg('acme');
    gh.addRepo({ owner: 'acme', name: 'existing', files: { 'catalog-info.yaml': 'kind: Component\n' } });
    root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'atrium-github-actions-')));
    for (const [rel, content] of Object.entries(files)) {
      await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
      await fs.writeFile(path.join(root, rel), content);
    }
    backend = await startTestBackend({
      plugins: [catalogPlugin, scaffolderPlugin, integrationsPlugin],
      config: {
        // A GitHub Enterprise Server-style host: the API at /api/v3, git at the same origin.
        integrations: { github: [{ host: HOST, apiBaseUrl: `${gh.url}/api/v3`, token: 'ghp_actions' }] },
        catalog: { locations: [{ type: 'file', target: path.join(root, 'catalog.yaml') }], processingPollMs: 100, readers: { fileRoots: [root] } },
        scaffolder: { pollMs: 50, stepTimeoutSeconds: 60 },
      },
    });
    for (let i = 0; i < 200; i++) {
      const r = await backend.json<{ items?: unknown[] }>('/api/catalog/entities/by-query?filter=kind=template&limit=100');
      if ((r.body.items?.length ?? 0) >= 3) break;
      await sleep(100);
    }
  }, 120_000);

  afterAll(async () => {
    await backend?.stop();
    await gh?.stop();
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  const run = async (name: string, values: Record<string, unknown>, secrets?: Record<string, string>) => {
    const created = await backend.json<{ id?: string; error?: { message: string } }>('/api/scaffolder/v2/tasks', {
      method: 'POST',
      body: { templateRef: `template:default/${name}`, values, ...(secrets ? { secrets } : {}) },
    });
    if (created.status !== 201) return { status: created.status, error: created.body.error?.message, task: undefined };
    for (let i = 0; i < 600; i++) {
      const { body } = await backend.json<{ status: string; error?: string; output?: Record<string, unknown> }>(`/api/scaffolder/v2/tasks/${created.body.id}`);
      if (['completed', 'failed', 'cancelled'].includes(body.status)) return { status: created.status, error: body.error, task: body };
      await sleep(50);
    }
    throw new Error(`task ${created.body.id} did not end`);
  };

  it('lists the six GitHub actions in place of the scaffolder’s placeholders', async () => {
    const { body } = await backend.json<Array<{ id: string; description?: string; schema: { input?: { required?: string[] } } }>>('/api/scaffolder/v2/actions');
    for (const id of ['publish:github', 'publish:github:pull-request', 'github:actions:dispatch', 'github:repo:create', 'github:repo:push', 'github:webhook']) {
      const action = body.find((a) => a.id === id);
      expect(action?.description, id).not.toMatch(/Not configured in Atrium/);
      expect(action?.schema.input?.required, id).toContain('repoUrl');
    }
    // Ids without an implementation keep their placeholder.
    expect(body.find((a) => a.id === 'github:issues:create')?.description).toMatch(/Not configured in Atrium/);
  });

  it('publishes, proposes a change, adds a webhook, dispatches a workflow, creates and pushes a second repository', async () => {
    const { task, error } = await run('github-all', { name: 'orders' }, { hookSecret: 'hook-s3cret' });
    expect(error).toBeUndefined();
    expect(task?.status).toBe('completed');

    const repo = gh.repoState('acme', 'orders');
    expect(repo).toMatchObject({ defaultBranch: 'main', visibility: 'internal', description: 'Service orders', topics: ['atrium', 'service'] });
    expect(repo.settings).toMatchObject({ delete_branch_on_merge: true, allow_merge_commit: true });
    // The workspace, rendered, on the default branch (read back through the REST endpoints' state).
    expect(repo.files['catalog-info.yaml']).toContain('name: orders');
    expect(repo.files['src/index.ts']).toBe('export const name = "orders";\n');
    expect(Object.keys(repo.files)).not.toContain('change/README.md');
    // Backstage's default protection, with the template's review count.
    expect(repo.protection['main']).toMatchObject({
      enforce_admins: true,
      required_pull_request_reviews: { required_approving_review_count: 2 },
      required_status_checks: { strict: true, contexts: [] },
      restrictions: null,
    });
    // The pull request: a branch with the change under targetPath, against the default branch.
    expect(repo.pulls).toEqual([{ number: 1, title: 'Add docs', body: 'Docs for orders', head: 'add-docs', base: 'main', draft: true }]);
    const branch = await gh.branchFiles('acme', 'orders', 'add-docs');
    expect(branch['docs/README.md']).toBe('# orders\n\nHow to run it.\n');
    expect(branch['catalog-info.yaml']).toBe(repo.files['catalog-info.yaml']);
    expect(repo.hooks).toEqual([
      {
        id: expect.any(Number),
        url: 'https://hooks.example.com/github',
        contentType: 'json',
        secret: 'hook-s3cret',
        insecureSsl: '0',
        events: ['push', 'pull_request'],
        active: true,
      },
    ]);
    expect(repo.dispatches).toEqual([{ workflowId: 'ci.yml', ref: 'main', inputs: { service: 'orders', verbose: true } }]);

    const docs = gh.repoState('acme', 'orders-docs');
    expect(docs).toMatchObject({ defaultBranch: 'trunk', visibility: 'public', description: 'Docs', protection: {} });
    expect(docs.files).toEqual({ 'README.md': '# orders\n\nHow to run it.\n' });

    expect(task?.output).toMatchObject({
      remoteUrl: 'https://github.com/acme/orders.git',
      repoContentsUrl: 'https://github.com/acme/orders/blob/main',
      pullRequestUrl: 'https://github.com/acme/orders/pull/1',
      targetBranchName: 'main',
      docsContentsUrl: 'https://github.com/acme/orders-docs/blob/trunk',
    });
    expect(String(task?.output?.['commitHash'])).toMatch(/^[0-9a-f]{40}$/);
    expect(Number(task?.output?.['pullRequestNumber'])).toBe(1);

    // A second run finds the repository there: a clear failure, nothing overwritten.
    const again = await run('github-publish', { repoUrl: `${HOST}?owner=acme&repo=orders` });
    expect(again.task?.status).toBe('failed');
    expect(again.error).toMatch(/publish:github: the repository acme\/orders on ghe\.example\.com already exists/);
    expect(gh.repoState('acme', 'orders').files['src/index.ts']).toBe('export const name = "orders";\n');
  }, 120_000);

  it('fails with the input named: repoUrl without an owner, a host without an integration', async () => {
    const noOwner = await run('github-publish', { repoUrl: `${HOST}?repo=orphan` });
    expect(noOwner.task?.status).toBe('failed');
    expect(noOwner.error).toMatch(/repoUrl "ghe\.example\.com\?repo=orphan" has no owner/);

    const badOwner = await run('github-publish', { repoUrl: `${HOST}?owner=--upload-pack=x&repo=r` });
    expect(badOwner.error).toMatch(/repoUrl owner "--upload-pack=x" is not a GitHub user or organisation name/);

    const ghost = await run('github-publish', { repoUrl: `${HOST}?owner=ghost&repo=x` });
    expect(ghost.task?.status).toBe('failed');
    expect(ghost.error).toMatch(/repoUrl owner ghost was not found on ghe\.example\.com/);

    // A user owner: the repository is created for the user the token acts as.
    const personal = await run('github-publish', { repoUrl: `${HOST}?owner=octo&repo=personal` });
    expect(personal.error).toBeUndefined();
    expect(gh.repoState('octo', 'personal')).toMatchObject({ defaultBranch: 'main', visibility: 'private' });

    const unknownHost = await run('github-publish', { repoUrl: 'github.internal.example?owner=acme&repo=x' });
    expect(unknownHost.task?.status).toBe('failed');
    expect(unknownHost.error).toMatch(/No GitHub integration for host github\.internal\.example/);
  }, 60_000);

  it('refuses a webhook to a private address (the shared SSRF guard) and a URL that is not http(s) (the input schema)', async () => {
    const before = gh.repoState('acme', 'existing').hooks.length;
    const privateHook = await run('github-hook', { webhookUrl: 'http://10.1.2.3/hook' });
    expect(privateHook.task?.status).toBe('failed');
    expect(privateHook.error).toMatch(/webhookUrl refused: .*10\.1\.2\.3.*private/);
    const loopback = await run('github-hook', { webhookUrl: 'http://localhost:8080/hook' });
    expect(loopback.error).toMatch(/webhookUrl refused/);
    expect(gh.repoState('acme', 'existing').hooks).toHaveLength(before);

    const notHttp = await run('github-hook', { webhookUrl: 'ftp://hooks.example.com/x' });
    expect(notHttp.status).toBe(400);
    expect(notHttp.error).toMatch(/webhookUrl/);
  }, 60_000);
});
