import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Logger } from '@atrium/backend-plugin-api';
import { runGit, validateGitRef, type RunGitOptions } from '@atrium/source-readers';
import { withBranchCheckout } from '../../git.js';
import { GitLabApiError } from '../client.js';
import { author, checkCloneUrl, clientFor, gitAuth, hostFor, inWorkspace, instanceUrl, parseRepoUrl, scratchDir, type GitLabActionSettings } from './common.js';

/** The scaffolder's action contract, as far as these actions use it (`@atrium/plugin-scaffolder/backend`). */
interface ActionContext<I> {
  input: I;
  workspacePath: string;
  logger: { info(m: string): void; warn(m: string): void; error(m: string): void };
  output(name: string, value: unknown): void;
  isDryRun: boolean;
  signal: AbortSignal;
}
interface Action<I> {
  id: string;
  description?: string;
  schema?: { input?: Record<string, unknown>; output?: Record<string, unknown> };
  supportsDryRun?: boolean;
  handler(ctx: ActionContext<I>): Promise<void>;
}
export interface ScaffolderActionsLike {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  registerAction(action: any): void;
}

const repoUrlSchema = { type: 'string', minLength: 1, maxLength: 2000, description: 'host?owner=group&repo=name, as RepoUrlPicker builds it' };
const tokenSchema = { type: 'string', minLength: 1, description: 'A token to use instead of the integration’s (e.g. the user’s, from secrets)' };

interface PublishInput {
  repoUrl: string;
  repoVisibility?: 'private' | 'internal' | 'public';
  defaultBranch?: string;
  sourcePath?: string;
  token?: string;
  description?: string;
  topics?: string[];
  gitCommitMessage?: string;
  gitAuthorName?: string;
  gitAuthorEmail?: string;
  skipExisting?: boolean;
  settings?: { description?: string; visibility?: 'private' | 'internal' | 'public'; topics?: string[] };
}

function apiMessage(e: unknown): string {
  if (e instanceof GitLabApiError) return `GitLab answered ${e.status}: ${e.description}`;
  return (e as Error).message;
}

/** `publish:gitlab`: creates the project in the group and pushes the workspace to its default branch. */
export function publishGitLabAction(settings: GitLabActionSettings): Action<PublishInput> {
  return {
    id: 'publish:gitlab',
    description: 'Creates a GitLab project in a group and pushes the workspace (or sourcePath) to its default branch (Backstage’s inputs).',
    supportsDryRun: true,
    schema: {
      input: {
        type: 'object',
        required: ['repoUrl'],
        properties: {
          repoUrl: repoUrlSchema,
          repoVisibility: { enum: ['private', 'internal', 'public'] },
          defaultBranch: { type: 'string', minLength: 1, maxLength: 250 },
          sourcePath: { type: 'string' },
          token: tokenSchema,
          description: { type: 'string', maxLength: 2000 },
          topics: { type: 'array', items: { type: 'string', maxLength: 255 } },
          gitCommitMessage: { type: 'string', maxLength: 5000 },
          gitAuthorName: { type: 'string', maxLength: 200 },
          gitAuthorEmail: { type: 'string', maxLength: 200 },
          skipExisting: { type: 'boolean' },
          settings: { type: 'object' },
        },
      },
      output: {
        type: 'object',
        properties: {
          remoteUrl: { type: 'string' },
          repoContentsUrl: { type: 'string' },
          projectId: { type: 'number' },
          commitHash: { type: 'string' },
          created: { type: 'boolean' },
        },
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const target = parseRepoUrl(input.repoUrl);
      const host = hostFor(settings, target.host);
      const branch = input.defaultBranch ?? 'master';
      validateGitRef(branch);
      const source = await inWorkspace(ctx.workspacePath, input.sourcePath, 'sourcePath');
      const webBase = `${instanceUrl(host)}/${target.projectPath}`;
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would create ${target.projectPath} on ${host.host} and push ${input.sourcePath ?? '.'} to ${branch}`);
        ctx.output('remoteUrl', webBase);
        ctx.output('repoContentsUrl', `${webBase}/-/blob/${branch}`);
        return;
      }
      const token = input.token ?? host.token;
      const { api } = clientFor(host, token);
      let namespaceId: number;
      try {
        namespaceId = ((await api.Namespaces.show(target.owner)) as unknown as { id: number }).id;
      } catch (e) {
        throw new Error(`publish:gitlab: the group ${target.owner} was not found on ${host.host} (${apiMessage(e)})`);
      }
      let project: { id: number; web_url: string; http_url_to_repo: string };
      let created = true;
      try {
        project = (await api.Projects.create({
          name: target.repo,
          path: target.repo,
          namespaceId,
          visibility: input.settings?.visibility ?? input.repoVisibility ?? 'private',
          defaultBranch: branch,
          ...((input.settings?.description ?? input.description) ? { description: input.settings?.description ?? input.description } : {}),
          ...((input.settings?.topics ?? input.topics) ? { topics: input.settings?.topics ?? input.topics } : {}),
        } as never)) as unknown as typeof project;
      } catch (e) {
        if (input.skipExisting && e instanceof GitLabApiError && e.status === 400 && /already been taken/.test(e.description)) {
          project = (await api.Projects.show(target.projectPath)) as unknown as typeof project;
          created = false;
          ctx.logger.info(`${target.projectPath} exists; skipExisting is set, so it is used as it is`);
        } else throw new Error(`publish:gitlab: creating ${target.projectPath} failed: ${apiMessage(e)}`);
      }
      const cloneUrl = checkCloneUrl(host, project.http_url_to_repo);
      const scratch = await scratchDir('publish-gitlab');
      let commitHash: string;
      try {
        const base = gitAuth(token, ctx.signal);
        const gitDir = path.join(scratch.dir, 'repo.git');
        await runGit(['init', '--quiet', '--bare', `--initial-branch=${branch}`, '--', gitDir], base);
        const inTree: RunGitOptions = { ...base, gitDir, workTree: source, cwd: source, env: author(input) };
        await runGit(['add', '--all'], inTree);
        await runGit(['commit', '--quiet', '--allow-empty', '-m', input.gitCommitMessage ?? 'initial commit'], inTree);
        commitHash = (await runGit(['rev-parse', 'HEAD'], inTree)).stdout.trim();
        await runGit(['push', '--quiet', '--', cloneUrl, `HEAD:refs/heads/${branch}`], inTree);
      } finally {
        await scratch.remove();
      }
      ctx.logger.info(`Pushed ${commitHash.slice(0, 12)} to ${project.web_url} (${branch})`);
      ctx.output('remoteUrl', project.web_url);
      ctx.output('repoContentsUrl', `${project.web_url}/-/blob/${branch}`);
      ctx.output('projectId', project.id);
      ctx.output('commitHash', commitHash);
      ctx.output('created', created);
    },
  };
}

interface MergeRequestInput {
  repoUrl: string;
  title: string;
  description?: string;
  branchName: string;
  targetBranchName?: string;
  sourcePath?: string;
  targetPath?: string;
  token?: string;
  commitAction?: 'create' | 'update' | 'delete';
  removeSourceBranch?: boolean;
  gitAuthorName?: string;
  gitAuthorEmail?: string;
}

/** `publish:gitlab:merge-request`: commits the workspace onto a new branch of an existing project and opens a merge request. */
export function mergeRequestAction(settings: GitLabActionSettings): Action<MergeRequestInput> {
  return {
    id: 'publish:gitlab:merge-request',
    description:
      'Commits the workspace (or sourcePath) into targetPath on a new branch of an existing GitLab project and opens a merge request (Backstage’s inputs).',
    supportsDryRun: true,
    schema: {
      input: {
        type: 'object',
        required: ['repoUrl', 'title', 'branchName'],
        properties: {
          repoUrl: repoUrlSchema,
          title: { type: 'string', minLength: 1, maxLength: 255 },
          description: { type: 'string', maxLength: 100000 },
          branchName: { type: 'string', minLength: 1, maxLength: 250 },
          targetBranchName: { type: 'string', minLength: 1, maxLength: 250 },
          sourcePath: { type: 'string' },
          targetPath: { type: 'string' },
          token: tokenSchema,
          commitAction: { enum: ['create', 'update', 'delete'] },
          removeSourceBranch: { type: 'boolean' },
          gitAuthorName: { type: 'string', maxLength: 200 },
          gitAuthorEmail: { type: 'string', maxLength: 200 },
        },
      },
      output: {
        type: 'object',
        properties: {
          projectid: { type: 'string' },
          projectPath: { type: 'string' },
          mergeRequestUrl: { type: 'string' },
          targetBranchName: { type: 'string' },
        },
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const target = parseRepoUrl(input.repoUrl);
      const host = hostFor(settings, target.host);
      validateGitRef(input.branchName);
      if (input.targetBranchName) validateGitRef(input.targetBranchName);
      const source = await inWorkspace(ctx.workspacePath, input.sourcePath, 'sourcePath');
      const targetPath = (input.targetPath ?? '').replace(/^\/+|\/+$/g, '');
      if (targetPath.split('/').some((s) => s === '..' || s.startsWith('-')) || targetPath.includes('\0'))
        throw new Error(`targetPath ${JSON.stringify(input.targetPath)} leaves the repository`);
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would open a merge request from ${input.branchName} on ${target.projectPath}`);
        ctx.output('projectPath', target.projectPath);
        ctx.output('mergeRequestUrl', `${instanceUrl(host)}/${target.projectPath}/-/merge_requests`);
        return;
      }
      const token = input.token ?? host.token;
      const { api } = clientFor(host, token);
      const project = (await api.Projects.show(target.projectPath).catch((e: unknown) => {
        throw new Error(`publish:gitlab:merge-request: project ${target.projectPath} not found on ${host.host} (${apiMessage(e)})`);
      })) as unknown as { id: number; default_branch: string; http_url_to_repo: string };
      const targetBranch = input.targetBranchName ?? project.default_branch;
      validateGitRef(targetBranch);
      const cloneUrl = checkCloneUrl(host, project.http_url_to_repo);
      await withBranchCheckout(
        { prefix: 'gitlab-mr', remoteUrl: cloneUrl, targetBranch, branchName: input.branchName, auth: gitAuth(token, ctx.signal), env: author(input) },
        async ({ work, git }) => {
          const dest = path.join(work, targetPath);
          if (input.commitAction === 'delete') {
            for (const entry of await listFiles(source)) await fs.rm(path.join(dest, entry), { force: true });
          } else {
            await fs.mkdir(dest, { recursive: true });
            for (const entry of await listFiles(source)) {
              await fs.mkdir(path.dirname(path.join(dest, entry)), { recursive: true });
              await fs.copyFile(path.join(source, entry), path.join(dest, entry));
            }
          }
          await runGit(['add', '--all'], git);
          await runGit(['commit', '--quiet', '--allow-empty', '-m', input.title], git);
          await runGit(['push', '--quiet', '--', cloneUrl, `HEAD:refs/heads/${input.branchName}`], git);
        },
      );
      const mr = (await api.MergeRequests.create(project.id, input.branchName, targetBranch, input.title, {
        ...(input.description ? { description: input.description } : {}),
        ...(input.removeSourceBranch !== undefined ? { removeSourceBranch: input.removeSourceBranch } : {}),
      })) as unknown as { web_url: string; iid: number };
      ctx.logger.info(`Opened merge request !${mr.iid}: ${mr.web_url}`);
      ctx.output('projectid', String(project.id));
      ctx.output('projectPath', target.projectPath);
      ctx.output('mergeRequestUrl', mr.web_url);
      ctx.output('targetBranchName', targetBranch);
    },
  };
}

/** Files under a folder (relative paths), without any `.git` folder and without following symlinks. */
async function listFiles(root: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(path.join(root, rel), { withFileTypes: true })) {
    if (entry.name === '.git') continue;
    const p = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(root, p)));
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

interface PipelineInput {
  repoUrl: string;
  projectId: number;
  tokenDescription: string;
  branch: string;
  token?: string;
  variables?: Record<string, string>;
}

/** `gitlab:pipeline:trigger`: creates a pipeline trigger token, runs the project's pipeline on a branch, and removes the token. */
export function pipelineTriggerAction(settings: GitLabActionSettings): Action<PipelineInput> {
  return {
    id: 'gitlab:pipeline:trigger',
    description: 'Triggers a GitLab pipeline on a branch with variables, through a short-lived pipeline trigger token (Backstage’s inputs).',
    schema: {
      input: {
        type: 'object',
        required: ['repoUrl', 'projectId', 'tokenDescription', 'branch'],
        properties: {
          repoUrl: repoUrlSchema,
          projectId: { type: 'integer', minimum: 1 },
          tokenDescription: { type: 'string', minLength: 1, maxLength: 255 },
          branch: { type: 'string', minLength: 1, maxLength: 250 },
          token: tokenSchema,
          variables: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
      output: { type: 'object', properties: { pipelineUrl: { type: 'string' } } },
    },
    async handler(ctx) {
      const { input } = ctx;
      const host = hostFor(settings, parseRepoUrl(input.repoUrl).host);
      validateGitRef(input.branch);
      for (const key of Object.keys(input.variables ?? {}))
        if (!/^[A-Za-z0-9_]{1,255}$/.test(key)) throw new Error(`variables: ${JSON.stringify(key)} is not a CI/CD variable name`);
      const { api } = clientFor(host, input.token);
      const trigger = (await api.PipelineTriggerTokens.create(input.projectId, input.tokenDescription)) as unknown as { id: number; token: string };
      try {
        const pipeline = (await api.PipelineTriggerTokens.trigger(
          input.projectId,
          input.branch,
          trigger.token,
          input.variables ? { variables: input.variables } : {},
        )) as unknown as { web_url: string; id: number };
        ctx.logger.info(`Triggered pipeline ${pipeline.id}: ${pipeline.web_url}`);
        ctx.output('pipelineUrl', pipeline.web_url);
      } catch (e) {
        throw new Error(`gitlab:pipeline:trigger: ${apiMessage(e)}`);
      } finally {
        await api.PipelineTriggerTokens.remove(input.projectId, trigger.id).catch((e: unknown) =>
          ctx.logger.warn(`Could not remove the trigger token ${trigger.id}: ${apiMessage(e)}`),
        );
      }
    },
  };
}

export function gitlabActions(settings: GitLabActionSettings): Array<Action<never>> {
  return [publishGitLabAction(settings), mergeRequestAction(settings), pipelineTriggerAction(settings)] as unknown as Array<Action<never>>;
}

/**
 * Registers the actions with the scaffolder; they replace its "needs an integration"
 * placeholders for the same ids. An id another plugin already took is refused by the registry:
 * that is logged, and the other actions still register.
 */
export function registerGitLabActions(scaffolder: ScaffolderActionsLike, options: GitLabActionSettings & { logger: Logger }): string[] {
  const registered: string[] = [];
  for (const action of gitlabActions(options)) {
    try {
      scaffolder.registerAction(action);
      registered.push(action.id);
    } catch (e) {
      options.logger.warn({ action: action.id }, `GitLab: scaffolder action ${action.id} not registered: ${(e as Error).message}`);
    }
  }
  return registered;
}
