import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runGit, validateGitRef, type RunGitOptions } from '@atrium/source-readers';

/**
 * Git work shared by the GitHub and GitLab scaffolder actions. Every git command is an argv array
 * run by the shared runner (`runGit`: no shell, no repository discovery, no file or ssh transport);
 * branch names are checked as git does and option-like ones refused before they reach argv.
 */

/** A private temporary folder; `remove()` deletes it and everything in it. */
export async function scratchDir(prefix: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `atrium-${prefix}-`));
  return { dir, remove: () => fs.rm(dir, { recursive: true, force: true }) };
}

/** The commit's author and committer (Backstage's `gitAuthorName`/`gitAuthorEmail`, else the scaffolder). */
export function author(input: { gitAuthorName?: string; gitAuthorEmail?: string }): Record<string, string> {
  const name = input.gitAuthorName ?? 'Atrium Scaffolder';
  const email = input.gitAuthorEmail ?? 'scaffolder@atrium.local';
  return { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email };
}

/** A branch checked out from the target branch, in a scratch folder. */
export interface BranchCheckout {
  /** The work tree: the target branch's files, on the new branch. */
  work: string;
  /** Options for git commands on it: the provider's authentication, the author, the git dir and work tree. */
  git: RunGitOptions;
}

export interface BranchCheckoutOptions {
  /** Names the scratch folder (`atrium-<prefix>-…`). */
  prefix: string;
  /** The repository's HTTPS (or HTTP) clone URL, already checked against the integration's host. */
  remoteUrl: string;
  /** The branch the change is based on (fetched with depth 1). */
  targetBranch: string;
  /** The new branch, created from the target branch. */
  branchName: string;
  /** The provider's git options (authentication header, signal, timeout). */
  auth: RunGitOptions;
  /** `GIT_AUTHOR_*` / `GIT_COMMITTER_*` for commits made in the checkout. */
  env: Record<string, string>;
  /** Turns a failed fetch of the target branch into the action's own error (default: git's). */
  fetchError?: (e: unknown) => Error;
}

function checkBranch(value: string, what: string): void {
  try {
    validateGitRef(value);
  } catch (e) {
    throw new Error(`${what}: ${(e as Error).message}`);
  }
}

/**
 * Runs `inCheckout` in a scratch checkout of a new branch: a bare repository in a temporary folder,
 * `targetBranch` fetched (depth 1) from `remoteUrl`, and `branchName` created from it. The folder
 * is removed afterwards, whether `inCheckout` succeeds or not. Option-like or invalid branch names and a
 * remote that is not an http(s) URL are refused before git runs.
 */
export async function withBranchCheckout<T>(options: BranchCheckoutOptions, inCheckout: (checkout: BranchCheckout) => Promise<T>): Promise<T> {
  checkBranch(options.targetBranch, 'the target branch');
  checkBranch(options.branchName, 'the new branch');
  if (!/^https?:\/\//i.test(options.remoteUrl)) throw new Error('the remote must be an http(s) URL');
  const scratch = await scratchDir(options.prefix);
  try {
    const gitDir = path.join(scratch.dir, 'repo.git');
    const work = path.join(scratch.dir, 'tree');
    await fs.mkdir(work);
    await runGit(['init', '--quiet', '--bare', '--', gitDir], options.auth);
    const git: RunGitOptions = { ...options.auth, gitDir, workTree: work, cwd: work, env: options.env };
    const remoteBranch = `refs/remotes/origin/${options.targetBranch}`;
    try {
      await runGit(['fetch', '--quiet', '--depth=1', '--', options.remoteUrl, `+refs/heads/${options.targetBranch}:${remoteBranch}`], git);
    } catch (e) {
      throw options.fetchError ? options.fetchError(e) : e;
    }
    await runGit(['checkout', '--quiet', '-B', options.branchName, remoteBranch], git);
    return await inCheckout({ work, git });
  } finally {
    await scratch.remove();
  }
}
