import path from 'node:path';
import type { ActionContext } from '@atrium/plugin-scaffolder/backend';
import { runGit, type RunGitOptions } from '@atrium/source-readers';
import {
  apiMessage,
  author,
  branchSchema,
  checkRef,
  connect,
  gitAuth,
  gitBaseOf,
  gitMessage,
  hostFor,
  inWorkspace,
  parseRepoUrl,
  repoUrlSchema,
  scratchDir,
  statusOf,
  tokenSchema,
  warnUnknownInputs,
  type Connection,
  type GitHubAction,
  type GitHubActionSettings,
  type ParsedRepoUrl,
} from './common.js';

/** Backstage's repository settings inputs (github:repo:create, publish:github). */
interface RepoSettingsInput {
  repoUrl: string;
  description?: string;
  homepage?: string;
  repoVisibility?: 'private' | 'internal' | 'public';
  topics?: string[];
  hasWiki?: boolean;
  hasProjects?: boolean;
  hasIssues?: boolean;
  deleteBranchOnMerge?: boolean;
  allowMergeCommit?: boolean;
  allowSquashMerge?: boolean;
  allowRebaseMerge?: boolean;
  allowAutoMerge?: boolean;
  token?: string;
}

/** Backstage's push inputs (github:repo:push, publish:github). */
interface PushInput {
  repoUrl: string;
  defaultBranch?: string;
  sourcePath?: string;
  gitCommitMessage?: string;
  gitAuthorName?: string;
  gitAuthorEmail?: string;
  protectDefaultBranch?: boolean;
  protectEnforceAdmins?: boolean;
  requiredApprovingReviewCount?: number;
  requireCodeOwnerReviews?: boolean;
  dismissStaleReviews?: boolean;
  requireLastPushApproval?: boolean;
  requiredStatusCheckContexts?: string[];
  requireBranchesToBeUpToDate?: boolean;
  requiredConversationResolution?: boolean;
  requiredLinearHistory?: boolean;
  token?: string;
}

const settingsProperties = {
  repoUrl: repoUrlSchema,
  description: { type: 'string', maxLength: 350 },
  homepage: { type: 'string', maxLength: 2000 },
  repoVisibility: { enum: ['private', 'internal', 'public'] },
  topics: { type: 'array', maxItems: 20, items: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,49}$' } },
  hasWiki: { type: 'boolean' },
  hasProjects: { type: 'boolean' },
  hasIssues: { type: 'boolean' },
  deleteBranchOnMerge: { type: 'boolean' },
  allowMergeCommit: { type: 'boolean' },
  allowSquashMerge: { type: 'boolean' },
  allowRebaseMerge: { type: 'boolean' },
  allowAutoMerge: { type: 'boolean' },
  token: tokenSchema,
};

const pushProperties = {
  repoUrl: repoUrlSchema,
  defaultBranch: branchSchema,
  sourcePath: { type: 'string', maxLength: 1000 },
  gitCommitMessage: { type: 'string', minLength: 1, maxLength: 5000 },
  gitAuthorName: { type: 'string', maxLength: 200 },
  gitAuthorEmail: { type: 'string', maxLength: 200 },
  protectDefaultBranch: { type: 'boolean' },
  protectEnforceAdmins: { type: 'boolean' },
  requiredApprovingReviewCount: { type: 'integer', minimum: 0, maximum: 6 },
  requireCodeOwnerReviews: { type: 'boolean' },
  dismissStaleReviews: { type: 'boolean' },
  requireLastPushApproval: { type: 'boolean' },
  requiredStatusCheckContexts: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 255 } },
  requireBranchesToBeUpToDate: { type: 'boolean' },
  requiredConversationResolution: { type: 'boolean' },
  requiredLinearHistory: { type: 'boolean' },
  token: tokenSchema,
};

interface CreatedRepo {
  html_url: string;
  clone_url: string;
  default_branch: string;
}

/** Creates the repository in the owner's organisation (or for the token's user) and sets its topics. */
async function createRepository(conn: Connection, target: ParsedRepoUrl, input: RepoSettingsInput, actionId: string): Promise<CreatedRepo> {
  const { octokit } = conn;
  const where = `${target.owner}/${target.repo} on ${conn.host.host}`;
  let ownerType: string;
  try {
    ownerType = (await octokit.rest.users.getByUsername({ username: target.owner })).data.type;
  } catch (e) {
    throw new Error(`${actionId}: repoUrl owner ${target.owner} was not found on ${conn.host.host} (${apiMessage(e)})`);
  }
  const visibility = input.repoVisibility ?? 'private';
  const settings = {
    name: target.repo,
    private: visibility !== 'public',
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.homepage !== undefined ? { homepage: input.homepage } : {}),
    ...(input.hasWiki !== undefined ? { has_wiki: input.hasWiki } : {}),
    ...(input.hasProjects !== undefined ? { has_projects: input.hasProjects } : {}),
    ...(input.hasIssues !== undefined ? { has_issues: input.hasIssues } : {}),
    delete_branch_on_merge: input.deleteBranchOnMerge ?? false,
    allow_merge_commit: input.allowMergeCommit ?? true,
    allow_squash_merge: input.allowSquashMerge ?? true,
    allow_rebase_merge: input.allowRebaseMerge ?? true,
    allow_auto_merge: input.allowAutoMerge ?? false,
  };
  let created: CreatedRepo;
  try {
    if (ownerType === 'Organization') {
      // `internal` exists on GitHub Enterprise Cloud and Server (api.github.com's description lists public and private).
      created = (await octokit.rest.repos.createInOrg({ org: target.owner, ...settings, visibility: visibility as 'public' | 'private' })).data;
    } else {
      if (visibility === 'internal') throw new Error(`${actionId}: repoVisibility internal is only for organisation repositories; ${target.owner} is a user`);
      const me = await octokit.rest.users.getAuthenticated().catch(() => undefined);
      if (me && me.data.login.toLowerCase() !== target.owner.toLowerCase())
        throw new Error(
          `${actionId}: repoUrl owner ${target.owner} is a user other than the one the token acts as (${me.data.login}); GitHub creates user repositories only for that user`,
        );
      created = (await octokit.rest.repos.createForAuthenticatedUser(settings)).data;
    }
  } catch (e) {
    if (!statusOf(e)) throw e;
    if (statusOf(e) === 422 && /already exists/.test(apiMessage(e))) throw new Error(`${actionId}: the repository ${where} already exists`);
    throw new Error(`${actionId}: creating ${where} failed: ${apiMessage(e)}`);
  }
  if (input.topics?.length) {
    try {
      await octokit.rest.repos.replaceAllTopics({ owner: target.owner, repo: target.repo, names: input.topics });
    } catch (e) {
      throw new Error(`${actionId}: setting topics on ${where} failed: ${apiMessage(e)}`);
    }
  }
  return created;
}

/** Commits the workspace folder as one commit and pushes it to the branch (not forced: existing history is never overwritten). */
async function pushWorkspace(ctx: ActionContext<PushInput>, conn: Connection, source: string, branch: string, actionId: string): Promise<string> {
  const token = await conn.gitToken();
  const scratch = await scratchDir('publish-github');
  try {
    const base = gitAuth(token, ctx.signal);
    const gitDir = path.join(scratch.dir, 'repo.git');
    await runGit(['init', '--quiet', '--bare', `--initial-branch=${branch}`, '--', gitDir], base);
    const inTree: RunGitOptions = { ...base, gitDir, workTree: source, cwd: source, env: author(ctx.input) };
    await runGit(['add', '--all'], inTree);
    await runGit(['commit', '--quiet', '--allow-empty', '-m', ctx.input.gitCommitMessage ?? 'initial commit'], inTree);
    const commitHash = (await runGit(['rev-parse', 'HEAD'], inTree)).stdout.trim();
    try {
      await runGit(['push', '--quiet', '--', conn.gitUrl, `HEAD:refs/heads/${branch}`], inTree);
    } catch (e) {
      throw new Error(
        `${actionId}: pushing to ${branch} of ${conn.gitUrl} failed: ${gitMessage(e)}${/rejected|fetch first|non-fast-forward/.test(gitMessage(e)) ? ' (the branch already has other commits; nothing was overwritten)' : ''}`,
      );
    }
    return commitHash;
  } finally {
    await scratch.remove();
  }
}

/** Branch protection on the default branch, with Backstage's defaults (one approving review, admins included). */
async function protectBranch(conn: Connection, target: ParsedRepoUrl, branch: string, input: PushInput, actionId: string): Promise<void> {
  try {
    await conn.octokit.rest.repos.updateBranchProtection({
      owner: target.owner,
      repo: target.repo,
      branch,
      required_status_checks: { strict: input.requireBranchesToBeUpToDate ?? true, contexts: input.requiredStatusCheckContexts ?? [] },
      enforce_admins: input.protectEnforceAdmins ?? true,
      required_pull_request_reviews: {
        required_approving_review_count: input.requiredApprovingReviewCount ?? 1,
        require_code_owner_reviews: input.requireCodeOwnerReviews ?? false,
        dismiss_stale_reviews: input.dismissStaleReviews ?? false,
        require_last_push_approval: input.requireLastPushApproval ?? false,
      },
      restrictions: null,
      required_conversation_resolution: input.requiredConversationResolution ?? false,
      required_linear_history: input.requiredLinearHistory ?? false,
    });
  } catch (e) {
    throw new Error(
      `${actionId}: protectDefaultBranch: GitHub refused branch protection on ${branch} of ${target.owner}/${target.repo}: ${apiMessage(e)} (set protectDefaultBranch: false where the plan or permissions do not allow it)`,
    );
  }
}

/** Pushes and protects: what publish:github and github:repo:push share. Returns the commit. */
async function pushAndProtect(
  ctx: ActionContext<PushInput>,
  conn: Connection,
  target: ParsedRepoUrl,
  actionId: string,
): Promise<{ commitHash: string; branch: string }> {
  const branch = ctx.input.defaultBranch ?? 'master';
  const source = await inWorkspace(ctx.workspacePath, ctx.input.sourcePath, 'sourcePath');
  const commitHash = await pushWorkspace(ctx, conn, source, branch, actionId);
  ctx.logger.info(`Pushed ${commitHash.slice(0, 12)} to ${target.owner}/${target.repo} (${branch})`);
  if (ctx.input.protectDefaultBranch !== false) {
    await protectBranch(conn, target, branch, ctx.input, actionId);
    ctx.logger.info(`Protected ${branch}: pull requests with ${ctx.input.requiredApprovingReviewCount ?? 1} approving review(s)`);
  }
  return { commitHash, branch };
}

/** Checks what a run needs before anything is created: the repoUrl, the branch, the source folder, a host. */
async function preflight(settings: GitHubActionSettings, ctx: ActionContext<Partial<PushInput> & { repoUrl: string }>) {
  const target = parseRepoUrl(ctx.input.repoUrl);
  if (ctx.input.defaultBranch !== undefined) checkRef(ctx.input.defaultBranch, 'defaultBranch');
  if ('sourcePath' in ctx.input) await inWorkspace(ctx.workspacePath, ctx.input.sourcePath, 'sourcePath');
  const host = await hostFor(settings, target.host);
  return { target, webBase: `${gitBaseOf(host)}/${target.owner}/${target.repo}` };
}

/** `github:repo:create`: creates the repository (settings, topics), without content. */
export function repoCreateAction(settings: GitHubActionSettings): GitHubAction<RepoSettingsInput> {
  const action: GitHubAction<RepoSettingsInput> = {
    id: 'github:repo:create',
    description: 'Creates a GitHub repository in an organisation (or for the token’s user) with its settings and topics, without content (Backstage’s inputs).',
    supportsDryRun: true,
    schema: {
      input: { type: 'object', required: ['repoUrl'], properties: settingsProperties },
      output: { type: 'object', properties: { remoteUrl: { type: 'string' }, repoUrl: { type: 'string' } } },
    },
    async handler(ctx) {
      warnUnknownInputs(ctx, action);
      const { target, webBase } = await preflight(settings, ctx);
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would create ${target.owner}/${target.repo} on ${target.host}`);
        ctx.output('remoteUrl', `${webBase}.git`);
        return;
      }
      const conn = await connect(settings, target, ctx.input.token);
      const repo = await createRepository(conn, target, ctx.input, action.id);
      ctx.logger.info(`Created ${repo.html_url}`);
      ctx.output('remoteUrl', repo.clone_url);
      ctx.output('repoUrl', ctx.input.repoUrl);
    },
  };
  return action;
}

/** `github:repo:push`: pushes the workspace to an existing repository's default branch and protects it. */
export function repoPushAction(settings: GitHubActionSettings): GitHubAction<PushInput> {
  const action: GitHubAction<PushInput> = {
    id: 'github:repo:push',
    description:
      'Pushes the workspace (or sourcePath) as one commit to a branch (defaultBranch) of an existing GitHub repository, then protects it unless protectDefaultBranch is false (Backstage’s inputs).',
    supportsDryRun: true,
    schema: {
      input: { type: 'object', required: ['repoUrl'], properties: pushProperties },
      output: { type: 'object', properties: { remoteUrl: { type: 'string' }, repoContentsUrl: { type: 'string' }, commitHash: { type: 'string' } } },
    },
    async handler(ctx) {
      warnUnknownInputs(ctx, action);
      const { target, webBase } = await preflight(settings, ctx);
      const branch = ctx.input.defaultBranch ?? 'master';
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would push ${ctx.input.sourcePath ?? '.'} to ${branch} of ${target.owner}/${target.repo}`);
        ctx.output('remoteUrl', `${webBase}.git`);
        ctx.output('repoContentsUrl', `${webBase}/blob/${branch}`);
        return;
      }
      const conn = await connect(settings, target, ctx.input.token);
      let repo: CreatedRepo;
      try {
        repo = (await conn.octokit.rest.repos.get({ owner: target.owner, repo: target.repo })).data;
      } catch (e) {
        throw new Error(
          `${action.id}: the repository ${target.owner}/${target.repo} was not found on ${target.host} (${apiMessage(e)}); create it first (github:repo:create)`,
        );
      }
      const { commitHash } = await pushAndProtect(ctx, conn, target, action.id);
      ctx.output('remoteUrl', repo.clone_url);
      ctx.output('repoContentsUrl', `${repo.html_url}/blob/${branch}`);
      ctx.output('commitHash', commitHash);
    },
  };
  return action;
}

/** `publish:github`: github:repo:create, then github:repo:push. */
export function publishGitHubAction(settings: GitHubActionSettings): GitHubAction<RepoSettingsInput & PushInput> {
  const action: GitHubAction<RepoSettingsInput & PushInput> = {
    id: 'publish:github',
    description:
      'Creates a GitHub repository (organisation or the token’s user) and pushes the workspace (or sourcePath) to its default branch, which is then protected unless protectDefaultBranch is false (Backstage’s inputs).',
    supportsDryRun: true,
    schema: {
      input: { type: 'object', required: ['repoUrl'], properties: { ...settingsProperties, ...pushProperties } },
      output: { type: 'object', properties: { remoteUrl: { type: 'string' }, repoContentsUrl: { type: 'string' }, commitHash: { type: 'string' } } },
    },
    async handler(ctx) {
      warnUnknownInputs(ctx, action);
      const { target, webBase } = await preflight(settings, ctx);
      const branch = ctx.input.defaultBranch ?? 'master';
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would create ${target.owner}/${target.repo} on ${target.host} and push ${ctx.input.sourcePath ?? '.'} to ${branch}`);
        ctx.output('remoteUrl', `${webBase}.git`);
        ctx.output('repoContentsUrl', `${webBase}/blob/${branch}`);
        return;
      }
      const conn = await connect(settings, target, ctx.input.token);
      const repo = await createRepository(conn, target, ctx.input, action.id);
      ctx.logger.info(`Created ${repo.html_url}`);
      const { commitHash } = await pushAndProtect(ctx, conn, target, action.id);
      ctx.output('remoteUrl', repo.clone_url);
      ctx.output('repoContentsUrl', `${repo.html_url}/blob/${branch}`);
      ctx.output('commitHash', commitHash);
    },
  };
  return action;
}
