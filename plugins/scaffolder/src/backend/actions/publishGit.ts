import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isWithin } from '@atrium/source-readers';
import { resolveInWorkspace } from '../workspace.js';
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
  /** file:// remotes must be under one of these. */
  fileRemoteRoots: string[];
  defaultAuthor: { name: string; email: string };
  defaultCommitMessage: string;
  timeoutMs: number;
}

/** Runs git without a shell; user input only ever follows `--` or is validated first. */
export function runGit(args: string[], options: { cwd: string; signal: AbortSignal; timeoutMs: number; env?: Record<string, string> }): Promise<string> {
  return runCommand('git', args, options);
}

export function runCommand(command: string, args: string[], options: { cwd: string; signal: AbortSignal; timeoutMs: number; env?: Record<string, string> }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', ...(options.env ?? {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out = (out + d.toString('utf8')).slice(-64 * 1024)));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString('utf8')).slice(-64 * 1024)));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    const onAbort = () => child.kill('SIGKILL');
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e) => reject(e));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      if (code === 0) resolve(out.trim());
      else reject(new Error(`${command} failed${signal ? ` (${signal})` : ''}: ${err.trim() || out.trim() || `exit code ${code}`}`));
    });
  });
}

const BRANCH = /^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]+$/;

/** Checks a remote is a git URL we allow: http(s), ssh, git@host:path, or file:// under the allowed roots. */
export function checkRemote(repoUrl: string, fileRoots: string[]): void {
  if (repoUrl.startsWith('-') || /[\0\n\r\s]/.test(repoUrl)) throw new Error(`publish:git: ${JSON.stringify(repoUrl)} is not a valid git remote URL`);
  if (/^[\w.-]+@[\w.-]+:(?!\/\/)/.test(repoUrl)) return;
  let url: URL;
  try {
    url = new URL(repoUrl);
  } catch {
    throw new Error(`publish:git: repoUrl must be a git remote URL (https://, ssh://, git@host:path or file:///path/repo.git), got ${JSON.stringify(repoUrl)}. For SaaS hosts (github.com?owner=..&repo=..) use publish:github.`);
  }
  if (url.protocol === 'file:') {
    const p = path.resolve(fileURLToPath(url));
    if (!fileRoots.some((root) => isWithin(path.resolve(root), p))) {
      throw new Error(`publish:git: the file remote ${p} is outside the allowed roots (scaffolder.publish.fileRoots: ${fileRoots.join(', ') || 'none'})`);
    }
    return;
  }
  if (!['http:', 'https:', 'ssh:', 'git:'].includes(url.protocol)) {
    throw new Error(`publish:git: the ${url.protocol} transport is not allowed`);
  }
}

export function createPublishGitAction(settings: PublishGitSettings): TemplateAction<PublishGitInput> {
  return createTemplateAction<PublishGitInput>({
    id: 'publish:git',
    description: 'Commits the workspace (or sourcePath) and pushes it to any git remote, file:// bare repositories included.',
    schema: {
      input: {
        type: 'object',
        required: ['repoUrl'],
        properties: {
          repoUrl: { type: 'string', minLength: 1, description: 'The remote URL, e.g. file:///srv/git/app.git or https://git.example.com/team/app.git' },
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
      checkRemote(input.repoUrl, settings.fileRemoteRoots);
      // A local remote that does not exist yet is created as a bare repository (under the allowed roots).
      let createBare: string | undefined;
      if (input.repoUrl.startsWith('file:')) {
        const remotePath = fileURLToPath(input.repoUrl);
        if (!(await fs.stat(remotePath).then(() => true, () => false))) {
          await fs.mkdir(path.dirname(remotePath), { recursive: true });
          createBare = remotePath;
        }
      }
      const branch = input.defaultBranch ?? 'main';
      const dir = await resolveInWorkspace(ctx.workspacePath, input.sourcePath ?? '.', 'sourcePath');
      const author = { name: input.gitAuthorName ?? settings.defaultAuthor.name, email: input.gitAuthorEmail ?? settings.defaultAuthor.email };
      // One shell runs the whole sequence: spawning blocks the event loop for a fork of this
      // (large) process, so one spawn instead of five keeps the API responsive under many tasks.
      // User input reaches git only through quoted environment variables, after `--` where it is a URL.
      const script = [
        'set -e',
        ...(createBare ? ['git init --bare --quiet -- "$ATRIUM_BARE"'] : []),
        'G="git -c protocol.ext.allow=never -c protocol.fd.allow=never -c core.hooksPath=/dev/null"',
        '$G init --quiet --initial-branch="$ATRIUM_BRANCH"',
        '$G add --all',
        '$G commit --quiet --allow-empty -m "$ATRIUM_MESSAGE"',
        'echo "commit $($G rev-parse HEAD)"',
        '$G push --quiet -- "$ATRIUM_REMOTE" "HEAD:refs/heads/$ATRIUM_BRANCH"',
      ].join('\n');
      let out: string;
      try {
        out = await runCommand('sh', ['-c', script], {
          cwd: dir,
          signal: ctx.signal,
          timeoutMs: settings.timeoutMs,
          env: {
            ATRIUM_BRANCH: branch,
            ATRIUM_MESSAGE: input.gitCommitMessage ?? settings.defaultCommitMessage,
            ATRIUM_REMOTE: input.repoUrl,
            ...(createBare ? { ATRIUM_BARE: createBare } : {}),
            GIT_AUTHOR_NAME: author.name,
            GIT_AUTHOR_EMAIL: author.email,
            GIT_COMMITTER_NAME: author.name,
            GIT_COMMITTER_EMAIL: author.email,
          },
        });
      } catch (error) {
        throw new Error(`publish:git failed to commit and push: ${(error as Error).message.replace(/^sh failed: /, '')}`);
      }
      const commitHash = /commit ([0-9a-f]{40,64})/.exec(out)?.[1] ?? '';
      if (createBare) ctx.logger.info(`Created the bare repository ${createBare}`);
      ctx.output('remoteUrl', input.repoUrl);
      // A git location target prefix: `<remote>#<branch>:` + `/catalog-info.yaml` is what catalog:register reads.
      ctx.output('repoContentsUrl', `${input.repoUrl}#${branch}:`);
      ctx.output('commitHash', commitHash);
      ctx.logger.info(`Pushed ${commitHash.slice(0, 12)} to ${input.repoUrl}`);
    },
  });
}
