import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startFakeGitLabApi, type FakeGitLabApi } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitlabActions } from './actions/index.js';
import { createGitLabClient, type GitLabClient } from './client.js';

const run = promisify(execFile);

/**
 * The fake GitLab against what @gitbeaker/core declares: for each resource our side uses, the
 * test reads the interface gitbeaker's typings give as the method's return type (following
 * `extends`, `MappedOmit`), and checks that every field it declares as required is in the fake's
 * answer, fetched through gitbeaker itself (our client). A drift in either direction fails here.
 */
const dts = fs.readFileSync(path.join(path.dirname(createRequire(import.meta.url).resolve('@gitbeaker/core')), 'index.d.ts'), 'utf8');

function requiredFields(name: string, seen = new Set<string>()): Set<string> {
  if (seen.has(name)) return new Set();
  seen.add(name);
  const m = new RegExp(`\\ninterface ${name}(?:<[^>]*>)?(?: extends ([^{]+))? \\{\\n([\\s\\S]*?)\\n\\}`).exec(dts);
  if (!m) throw new Error(`@gitbeaker/core declares no interface ${name}`);
  const fields = new Set([...m[2]!.matchAll(/^ {4}(\w+):/gm)].map((x) => x[1]!));
  for (const base of splitTopLevel(m[1] ?? '')) {
    if (!base || base.startsWith('Record<')) continue;
    const omit = /^MappedOmit<(\w+),\s*(.+)>$/.exec(base);
    const inherited = requiredFields(omit ? omit[1]! : base, seen);
    const omitted = new Set(omit ? [...omit[2]!.matchAll(/'(\w+)'/g)].map((x) => x[1]!) : []);
    for (const f of inherited) if (!omitted.has(f)) fields.add(f);
  }
  return fields;
}

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '<') depth++;
    if (ch === '>') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** The schema a method of a resource class returns, as declared. */
function declaredReturn(resource: string, method: string): string {
  const cls = new RegExp(`declare class ${resource}<C extends boolean = false> extends BaseResource<C> \\{([\\s\\S]*?)\\n\\}`).exec(dts);
  if (!cls) throw new Error(`no class ${resource}`);
  // The first overload's declaration, which may span lines.
  const m = new RegExp(`\\n {4}${method}<[\\s\\S]*?GitlabAPIResponse<(?:A extends false \\? )?(\\w+)`).exec(cls[1]!);
  if (!m) throw new Error(`no ${resource}.${method}`);
  return m[1]!;
}

function missing(value: unknown, schema: string): string[] {
  const obj = value as Record<string, unknown>;
  return [...requiredFields(schema)].filter((f) => !(f in obj));
}

describe('fake GitLab against @gitbeaker/core typings, through @gitbeaker/rest', () => {
  let gitlab: FakeGitLabApi;
  let client: GitLabClient;

  beforeAll(async () => {
    gitlab = await startFakeGitLabApi();
    gitlab.addGroup({ fullPath: 'acme' });
    gitlab.addGroup({ fullPath: 'acme/sub' });
    gitlab.addUser({ username: 'alice' });
    gitlab.addMember('acme', 'alice');
    gitlab.addProject({ pathWithNamespace: 'acme/sub/svc', files: { 'catalog-info.yaml': 'kind: Component\n' } });
    client = createGitLabClient({ apiBaseUrl: gitlab.apiUrl, token: gitlab.token });
  });
  afterAll(() => gitlab?.stop());

  it('reads the typings it checks against', () => {
    expect(requiredFields('ProjectSchema').size).toBeGreaterThan(80);
    expect(requiredFields('MemberSchema')).toEqual(expect.any(Set));
    expect(requiredFields('ExpandedPipelineSchema').has('web_url')).toBe(true);
    expect(requiredFields('PipelineTriggerTokenSchema').has('token')).toBe(true);
  });

  it('serves every required field of the resources discovery and group sync read', async () => {
    const api = client.api;
    const projects = (await api.Groups.allProjects('acme', { includeSubgroups: true, perPage: 100 })) as unknown[];
    expect(projects).toHaveLength(1);
    expect(missing(projects[0], declaredReturn('Groups', 'allProjects'))).toEqual([]);
    expect(missing(await api.Projects.show('acme/sub/svc'), declaredReturn('Projects', 'show'))).toEqual([]);
    expect(missing(await api.Groups.show('acme'), declaredReturn('Groups', 'show'))).toEqual([]);
    const subgroups = (await api.Groups.allDescendantGroups('acme', {})) as unknown[];
    expect(missing(subgroups[0], declaredReturn('Groups', 'allDescendantGroups'))).toEqual([]);
    const members = (await api.GroupMembers.all('acme')) as unknown[];
    expect(missing(members[0], 'MemberSchema')).toEqual([]);
    const file = await api.RepositoryFiles.show('acme/sub/svc', 'catalog-info.yaml', 'main');
    expect(missing(file, declaredReturn('RepositoryFiles', 'show'))).toEqual([]);
    expect(Buffer.from(String(file.content), 'base64').toString()).toBe('kind: Component\n');
    expect(missing(await api.Namespaces.show('acme/sub'), declaredReturn('Namespaces', 'show'))).toEqual([]);
    expect(missing(await api.Users.showCurrentUser(), declaredReturn('Users', 'showCurrentUser'))).toEqual([]);
  });

  it('serves every required field of what the entity card reads: pipelines, open merge requests, the last commit', async () => {
    gitlab.commit('acme/sub/svc', { message: 'Fix the build\n\nThe long story.', author: 'alice' });
    gitlab.addPipeline('acme/sub/svc', { status: 'failed' });
    gitlab.addPipeline('acme/sub/svc', { status: 'running', ref: 'feature' });
    gitlab.openMergeRequest('acme/sub/svc', { title: 'Add a health check', author: 'alice', draft: true });
    const api = client.api;
    const pipelines = (await api.Pipelines.all('acme/sub/svc', { perPage: 5 })) as unknown as Array<Record<string, unknown>>;
    expect(pipelines.map((p) => [p['status'], p['ref']])).toEqual([
      ['running', 'feature'],
      ['failed', 'main'],
    ]);
    expect(missing(pipelines[0], declaredReturn('Pipelines', 'all'))).toEqual([]);
    const mrs = (await api.MergeRequests.all({ projectId: 'acme/sub/svc', state: 'opened' })) as unknown as Array<Record<string, unknown>>;
    expect(mrs).toHaveLength(1);
    expect(mrs[0]).toMatchObject({ title: 'Add a health check', draft: true, state: 'opened', author: { username: 'alice' } });
    expect(missing(mrs[0], 'MergeRequestSchema')).toEqual([]);
    expect(await api.MergeRequests.all({ projectId: 'acme/sub/svc', state: 'merged' })).toEqual([]);
    const commits = (await api.Commits.all('acme/sub/svc', { refName: 'main', perPage: 1, maxPages: 1 })) as unknown as Array<Record<string, unknown>>;
    expect(commits[0]).toMatchObject({ title: 'Fix the build', message: 'Fix the build\n\nThe long story.', author_name: 'alice' });
    expect(missing(commits[0], declaredReturn('Commits', 'all'))).toEqual([]);
  });

  it('paginates as GitLab does: x-next-page, x-total and Link, which gitbeaker follows', async () => {
    for (let i = 0; i < 7; i++) gitlab.addProject({ pathWithNamespace: `acme/p${i}` });
    const page = (await client.api.Groups.allProjects('acme', {
      includeSubgroups: true,
      perPage: 3,
      page: 2,
      showExpanded: true,
      pagination: 'offset',
    } as never)) as unknown as { data: unknown[]; paginationInfo: { next: number; total: number; totalPages: number } };
    expect(page.data).toHaveLength(3);
    expect(page.paginationInfo).toMatchObject({ next: 3, total: 8, totalPages: 3 });
    const everything = (await client.api.Groups.allProjects('acme', { includeSubgroups: true, perPage: 3 })) as unknown[];
    expect(everything).toHaveLength(8); // gitbeaker walked the Link headers
    const last = gitlab.requests.filter((r) => r.path === '/groups/acme/projects').at(-1)!;
    expect(last.query['page']).toBe('3');
  });

  it('sends the rate-limit headers and 429 with Retry-After, which our client waits out', async () => {
    gitlab.throttleNext(1, 1);
    const before = client.rate.calls;
    await client.api.Groups.show('acme');
    expect(client.rate.calls - before).toBe(2);
    expect(client.rate.limit).toBe(2000);
    expect(client.rate.remaining).toEqual(expect.any(Number));
    expect(client.rate.resetAt).toEqual(expect.any(Number));
  });

  it('refuses a wrong token with 401', async () => {
    const bad = createGitLabClient({ apiBaseUrl: gitlab.apiUrl, token: 'glpat-wrong' });
    await expect(bad.api.Groups.show('acme')).rejects.toMatchObject({ status: 401 });
  });

  describe('scaffolder actions against it (real git smart HTTP through git http-backend)', () => {
    const actions = () =>
      Object.fromEntries(gitlabActions({ hosts: () => [{ host: 'gitlab.test', apiBaseUrl: gitlab.apiUrl, token: gitlab.token }] }).map((a) => [a.id, a]));
    const context = (input: Record<string, unknown>, workspacePath: string) => {
      const output: Record<string, unknown> = {};
      const logs: string[] = [];
      return {
        output,
        logs,
        ctx: {
          input,
          workspacePath,
          logger: { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m) },
          output: (k: string, v: unknown) => (output[k] = v),
          isDryRun: false,
          signal: new AbortController().signal,
        },
      };
    };
    let workspace: string;
    beforeAll(() => {
      workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-gitlab-actions-'));
      fs.mkdirSync(path.join(workspace, 'skeleton/src'), { recursive: true });
      fs.writeFileSync(path.join(workspace, 'skeleton/catalog-info.yaml'), 'kind: Component\nmetadata:\n  name: orders\n');
      fs.writeFileSync(path.join(workspace, 'skeleton/src/index.ts'), 'export {};\n');
    });
    afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

    it('publish:gitlab creates the project in the group and pushes the workspace', async () => {
      const { ctx, output } = context(
        { repoUrl: 'gitlab.test?owner=acme/sub&repo=orders', defaultBranch: 'main', sourcePath: 'skeleton', repoVisibility: 'internal' },
        workspace,
      );
      await actions()['publish:gitlab']!.handler(ctx as never);
      const project = gitlab.project('acme/sub/orders')!;
      expect(output).toMatchObject({
        remoteUrl: `${gitlab.url}/acme/sub/orders`,
        repoContentsUrl: `${gitlab.url}/acme/sub/orders/-/blob/main`,
        projectId: project.id,
        created: true,
      });
      const { stdout } = await run('git', ['--git-dir', project.repoDir!, 'ls-tree', '-r', '--name-only', 'main']);
      expect(stdout.split('\n').filter(Boolean).sort()).toEqual(['catalog-info.yaml', 'src/index.ts']);
      const created = gitlab.requests.find((r) => r.method === 'POST' && r.path === '/projects');
      expect(created?.body).toMatchObject({ name: 'orders', path: 'orders', visibility: 'internal', namespace_id: expect.any(Number) });
    });

    it('publish:gitlab:merge-request pushes a branch and opens a merge request', async () => {
      fs.writeFileSync(path.join(workspace, 'skeleton/catalog-info.yaml'), 'kind: Component\nmetadata:\n  name: orders\n  description: changed\n');
      const { ctx, output } = context(
        {
          repoUrl: 'gitlab.test?owner=acme/sub&repo=orders',
          title: 'Update descriptor',
          description: 'From a template',
          branchName: 'atrium/update',
          sourcePath: 'skeleton',
          targetPath: 'deploy',
          removeSourceBranch: true,
        },
        workspace,
      );
      await actions()['publish:gitlab:merge-request']!.handler(ctx as never);
      const project = gitlab.project('acme/sub/orders')!;
      expect(output).toMatchObject({
        projectPath: 'acme/sub/orders',
        targetBranchName: 'main',
        mergeRequestUrl: `${gitlab.url}/acme/sub/orders/-/merge_requests/1`,
      });
      expect(project.mergeRequests[0]).toMatchObject({
        source_branch: 'atrium/update',
        target_branch: 'main',
        title: 'Update descriptor',
        description: 'From a template',
      });
      const { stdout } = await run('git', ['--git-dir', project.repoDir!, 'show', 'atrium/update:deploy/catalog-info.yaml']);
      expect(stdout).toContain('description: changed');
      expect(missing(project.mergeRequests[0], declaredReturn('MergeRequests', 'create'))).toEqual([]);
    });

    it('gitlab:pipeline:trigger runs a pipeline with variables through a short-lived trigger token', async () => {
      const project = gitlab.project('acme/sub/orders')!;
      const { ctx, output } = context(
        {
          repoUrl: 'gitlab.test?owner=acme/sub&repo=orders',
          projectId: project.id,
          tokenDescription: 'atrium',
          branch: 'main',
          variables: { DEPLOY_ENV: 'dev' },
        },
        workspace,
      );
      await actions()['gitlab:pipeline:trigger']!.handler(ctx as never);
      expect(output['pipelineUrl']).toBe(`${gitlab.url}/acme/sub/orders/-/pipelines/1`);
      expect(project.pipelines[0]).toMatchObject({ ref: 'main', variables: { DEPLOY_ENV: 'dev' } });
      expect(missing(project.pipelines[0], declaredReturn('PipelineTriggerTokens', 'trigger'))).toEqual([]);
      expect(project.triggerTokens.size).toBe(0); // removed after use
    });

    it('refuses malicious repoUrls and paths before any request', async () => {
      const mark = gitlab.requests.length;
      for (const repoUrl of [
        'gitlab.test?owner=acme&repo=--upload-pack=x',
        'gitlab.test?owner=../etc&repo=x',
        'gitlab.test?owner=acme&repo=a/../../b',
        'evil.example?owner=acme&repo=x',
        'gitlab.test/path?owner=acme&repo=x',
      ]) {
        const { ctx } = context({ repoUrl, defaultBranch: 'main' }, workspace);
        await expect(actions()['publish:gitlab']!.handler(ctx as never)).rejects.toThrow();
      }
      const { ctx } = context({ repoUrl: 'gitlab.test?owner=acme&repo=x', sourcePath: '../../etc' }, workspace);
      await expect(actions()['publish:gitlab']!.handler(ctx as never)).rejects.toThrow(/sourcePath/);
      const branch = context({ repoUrl: 'gitlab.test?owner=acme&repo=x', defaultBranch: '--upload-pack=x' }, workspace);
      await expect(actions()['publish:gitlab']!.handler(branch.ctx as never)).rejects.toThrow();
      expect(gitlab.requests.length).toBe(mark);
    });
  });
});
