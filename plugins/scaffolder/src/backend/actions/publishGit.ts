import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GitCommandError, runGit, validateGitRef, type RunGitOptions } from '@atrium/source-readers';
import { createTempDir, removeDir, resolveInWorkspace } from '../workspace.js';
import { checkPublishRemote, type PublishRemote } from './publishRemote.js';
import { createTemplateAction, type TemplateAction } from './types.js';

interface PublishGitInput {
  repoUrl: string;
  defaultBranch?: string;
  sourcePath?: string;
  gitCommitMessage?: string;
  gitAuthorName?: string;
  gitAuthorEmail?: string;
  description?: string;
}

export interface PublishGitSettings {
  /**
   * Where local (`file://`) remotes may live; a bare repository name (`orders.git`) is created
   * in the first one. Default: `<dataDir>/repos`, which the catalog reads by default.
   */
  fileRemoteRoots: string[];
  /** Scratch folders (our own git dir for each publish) go here: `<dataDir>/scaffolder/work`. */
  workDir: string;
  /** Network remotes on loopback, private or reserved addresses are refused unless true. */
  allowPrivateNetworks: boolean;
  defaultAuthor: { name: string; email: string };
  defaultCommitMessage: string;
  timeoutMs: number;
}

const BRANCH = /^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]+$/;

export function createPublishGitAction(settings: PublishGitSettings): TemplateAction<PublishGitInput> {
  return createTemplateAction<PublishGitInput>({
    id: 'publish:git',
    description:
      'Commits the workspace (or sourcePath) and pushes it to a git remote: https://, ssh://, git@host:path, a file:// bare repository under the publish roots, or just a name (orders.git) for a new bare repository in the first publish root.',
    schema: {
      input: {
        type: 'object',
        required: ['repoUrl'],
        properties: {
          repoUrl: {
            type: 'string',
            minLength: 1,
            description:
              "The remote: orders.git (a bare repository in the portal's repos folder), file:///srv/git/app.git or https://git.example.com/team/app.git",
          },
          defaultBranch: { type: 'string', pattern: BRANCH.source },
          sourcePath: { type: 'string' },
          gitCommitMessage: { type: 'string' },
          gitAuthorName: { type: 'string' },
          gitAuthorEmail: { type: 'string' },
          description: { type: 'string' },
        },
      },
      output: {
        type: 'object',
        properties: { remoteUrl: { type: 'string' }, repoContentsUrl: { type: 'string' }, commitHash: { type: 'string' } },
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const branch = input.defaultBranch ?? 'main';
      validateGitRef(branch);
      const remote = await checkPublishRemote(input.repoUrl, { fileRoots: settings.fileRemoteRoots, allowPrivateNetworks: settings.allowPrivateNetworks });
      const dir = await resolveInWorkspace(ctx.workspacePath, input.sourcePath ?? '.', 'sourcePath');
      const author = { name: input.gitAuthorName ?? settings.defaultAuthor.name, email: input.gitAuthorEmail ?? settings.defaultAuthor.email };
      const base: RunGitOptions = {
        ...remote.git,
        signal: ctx.signal,
        timeoutMs: settings.timeoutMs,
        config: { ...remote.git.config, 'commit.gpgSign': 'false', 'core.autocrlf': 'false' },
      };
      // Our own git dir, outside the work tree: nothing a skeleton brings (a .git folder,
      // attributes naming drivers) can configure the git that commits it.
      const scratch = await createTempDir(settings.workDir, 'publish-git');
      let commitHash: string;
      try {
        const gitDir = path.join(scratch, 'repo.git');
        await runGit(['init', '--quiet', '--bare', `--initial-branch=${branch}`, '--', gitDir], base);
        const inTree: RunGitOptions = {
          ...base,
          gitDir,
          workTree: dir,
          cwd: dir,
          env: { GIT_AUTHOR_NAME: author.name, GIT_AUTHOR_EMAIL: author.email, GIT_COMMITTER_NAME: author.name, GIT_COMMITTER_EMAIL: author.email },
        };
        await runGit(['add', '--all'], inTree);
        await runGit(['commit', '--quiet', '--allow-empty', '-m', input.gitCommitMessage ?? settings.defaultCommitMessage], inTree);
        commitHash = (await runGit(['rev-parse', 'HEAD'], inTree)).stdout.trim();
        if (remote.kind === 'file' && remote.create) {
          await fs.mkdir(path.dirname(remote.path), { recursive: true });
          await runGit(['init', '--quiet', '--bare', `--initial-branch=${branch}`, '--', remote.path], base);
          ctx.logger.info(`Created the bare repository ${remote.path}`);
        }
        await runGit(['push', '--quiet', '--', remote.kind === 'file' ? remote.url : remote.pushUrl, `HEAD:refs/heads/${branch}`], inTree);
        if (remote.kind === 'file') await pointHeadAtBranch(remote, branch, base);
      } catch (error) {
        throw new Error(`publish:git failed to commit and push: ${describeGitError(error)}`);
      } finally {
        await removeDir(scratch);
      }
      ctx.output('remoteUrl', remote.url);
      // A git location target prefix: `<remote>#<branch>:` + `/catalog-info.yaml` is what catalog:register reads.
      ctx.output('repoContentsUrl', `${remote.url}#${branch}:`);
      ctx.output('commitHash', commitHash);
      ctx.logger.info(`Pushed ${commitHash.slice(0, 12)} to ${remote.url}`);
    },
  });
}

/**
 * A local bare repository whose HEAD names a branch that does not exist (an empty repository
 * made by `git init --bare`, HEAD → master) gets HEAD pointed at the branch just pushed, so a
 * clone checks it out instead of an empty work tree.
 */
async function pointHeadAtBranch(remote: Extract<PublishRemote, { kind: 'file' }>, branch: string, base: RunGitOptions): Promise<void> {
  const opts = { ...base, gitDir: remote.path };
  const resolves = await runGit(['rev-parse', '--verify', '--quiet', 'HEAD'], opts).then(
    () => true,
    () => false,
  );
  if (!resolves) await runGit(['symbolic-ref', 'HEAD', `refs/heads/${branch}`], opts);
}

/** git's reason, plus what the remote said (`remote: …`, `! [remote rejected] … (reason)`), which explains a refused push. */
function describeGitError(error: unknown): string {
  if (!(error instanceof GitCommandError)) return (error as Error).message;
  const remote = error.stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => /^remote:\s*\S/.test(l) || l.startsWith('! ['))
    .map((l) => l.replace(/^remote:\s*/, ''))
    .slice(0, 10);
  return remote.length ? `${error.message} (${remote.join('; ')})` : error.message;
}
