import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runGit } from '@atrium/source-readers';
import { author, withBranchCheckout } from '../../git.js';
import {
  apiMessage,
  branchSchema,
  checkRef,
  connect,
  gitAuth,
  gitBaseOf,
  gitMessage,
  hostFor,
  inWorkspace,
  listFiles,
  parseRepoUrl,
  repoPath,
  repoUrlSchema,
  tokenSchema,
  warnUnknownInputs,
  type GitHubAction,
  type GitHubActionSettings,
} from './common.js';

interface PullRequestInput {
  repoUrl: string;
  branchName: string;
  title: string;
  description?: string;
  targetBranchName?: string;
  sourcePath?: string;
  targetPath?: string;
  draft?: boolean;
  commitMessage?: string;
  gitAuthorName?: string;
  gitAuthorEmail?: string;
  token?: string;
}

/**
 * `publish:github:pull-request`: commits the workspace (or sourcePath) into targetPath on a new
 * branch of an existing repository, pushes it, and opens a pull request against targetBranchName
 * (default: the repository's default branch). How day-2 changes reach a default branch.
 */
export function pullRequestAction(settings: GitHubActionSettings): GitHubAction<PullRequestInput> {
  const action: GitHubAction<PullRequestInput> = {
    id: 'publish:github:pull-request',
    description:
      'Commits the workspace (or sourcePath) into targetPath on a new branch (branchName) of an existing GitHub repository and opens a pull request (Backstage’s inputs).',
    supportsDryRun: true,
    schema: {
      input: {
        type: 'object',
        required: ['repoUrl', 'branchName', 'title'],
        properties: {
          repoUrl: repoUrlSchema,
          branchName: branchSchema,
          title: { type: 'string', minLength: 1, maxLength: 256 },
          description: { type: 'string', maxLength: 65536 },
          targetBranchName: branchSchema,
          sourcePath: { type: 'string', maxLength: 1000 },
          targetPath: { type: 'string', maxLength: 1000 },
          draft: { type: 'boolean' },
          commitMessage: { type: 'string', minLength: 1, maxLength: 5000 },
          gitAuthorName: { type: 'string', maxLength: 200 },
          gitAuthorEmail: { type: 'string', maxLength: 200 },
          token: tokenSchema,
        },
      },
      output: {
        type: 'object',
        properties: { remoteUrl: { type: 'string' }, pullRequestNumber: { type: 'number' }, targetBranchName: { type: 'string' } },
      },
    },
    async handler(ctx) {
      warnUnknownInputs(ctx, action);
      const { input } = ctx;
      const target = parseRepoUrl(input.repoUrl);
      checkRef(input.branchName, 'branchName');
      if (input.targetBranchName) checkRef(input.targetBranchName, 'targetBranchName');
      const source = await inWorkspace(ctx.workspacePath, input.sourcePath, 'sourcePath');
      const targetPath = repoPath(input.targetPath, 'targetPath');
      if (ctx.isDryRun) {
        const host = await hostFor(settings, target.host);
        ctx.logger.info(`Dry run: would open a pull request from ${input.branchName} on ${target.owner}/${target.repo}`);
        ctx.output('remoteUrl', `${gitBaseOf(host)}/${target.owner}/${target.repo}/pulls`);
        ctx.output('targetBranchName', input.targetBranchName ?? '');
        return;
      }
      const conn = await connect(settings, target, input.token);
      let defaultBranch: string;
      try {
        defaultBranch = (await conn.octokit.rest.repos.get({ owner: target.owner, repo: target.repo })).data.default_branch;
      } catch (e) {
        throw new Error(`${action.id}: the repository ${target.owner}/${target.repo} was not found on ${target.host} (${apiMessage(e)})`);
      }
      const targetBranch = input.targetBranchName ?? defaultBranch;
      checkRef(targetBranch, 'the default branch');
      if (targetBranch === input.branchName) throw new Error(`${action.id}: branchName and targetBranchName are both ${targetBranch}`);

      const { files, skipped } = await listFiles(source);
      if (skipped.length) ctx.logger.warn(`Not committed (not regular files): ${skipped.slice(0, 20).join(', ')}`);
      const token = await conn.gitToken();
      await withBranchCheckout(
        {
          prefix: 'github-pr',
          remoteUrl: conn.gitUrl,
          targetBranch,
          branchName: input.branchName,
          auth: gitAuth(token, ctx.signal),
          env: author(input),
          fetchError: (e) =>
            new Error(`${action.id}: targetBranchName ${targetBranch} could not be fetched from ${target.owner}/${target.repo}: ${gitMessage(e)}`),
        },
        async ({ work, git }) => {
          const dest = path.join(work, targetPath);
          for (const file of files) {
            await fs.mkdir(path.dirname(path.join(dest, file)), { recursive: true });
            await fs.copyFile(path.join(source, file), path.join(dest, file));
          }
          await runGit(['add', '--all'], git);
          if (!(await runGit(['status', '--porcelain'], git)).stdout.trim())
            throw new Error(`${action.id}: sourcePath has no changes against ${targetBranch} of ${target.owner}/${target.repo}: nothing to propose`);
          await runGit(['commit', '--quiet', '-m', input.commitMessage ?? input.title], git);
          try {
            await runGit(['push', '--quiet', '--', conn.gitUrl, `HEAD:refs/heads/${input.branchName}`], git);
          } catch (e) {
            throw new Error(
              `${action.id}: pushing branchName ${input.branchName} failed: ${gitMessage(e)} (an existing branch with other commits is never overwritten)`,
            );
          }
        },
      );
      let pr: { html_url: string; number: number };
      try {
        pr = (
          await conn.octokit.rest.pulls.create({
            owner: target.owner,
            repo: target.repo,
            title: input.title,
            head: input.branchName,
            base: targetBranch,
            ...(input.description !== undefined ? { body: input.description } : {}),
            ...(input.draft !== undefined ? { draft: input.draft } : {}),
          })
        ).data;
      } catch (e) {
        throw new Error(`${action.id}: opening the pull request from ${input.branchName} into ${targetBranch} failed: ${apiMessage(e)}`);
      }
      ctx.logger.info(`Opened pull request #${pr.number}: ${pr.html_url}`);
      ctx.output('remoteUrl', pr.html_url);
      ctx.output('pullRequestNumber', pr.number);
      ctx.output('targetBranchName', targetBranch);
    },
  };
  return action;
}
