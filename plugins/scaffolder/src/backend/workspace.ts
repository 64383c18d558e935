import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isGitMetadataPath, isWithin } from '@atrium/source-readers';

export class WorkspaceEscapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkspaceEscapeError';
  }
}

/**
 * Resolves a workspace-relative path and refuses anything outside the workspace, both as
 * written (`..`, absolute paths) and after following symlinks of the part that exists.
 */
export async function resolveInWorkspace(workspace: string, relative: string, what = 'path'): Promise<string> {
  if (typeof relative !== 'string' || relative.includes('\0')) throw new WorkspaceEscapeError(`Invalid ${what} ${JSON.stringify(relative)}`);
  const target = path.resolve(workspace, relative);
  if (!isWithin(workspace, target)) {
    throw new WorkspaceEscapeError(`The ${what} ${JSON.stringify(relative)} points outside the workspace`);
  }
  refuseGitMetadata(workspace, target, relative, what);
  // Walk up to the deepest existing ancestor and check its real path stays inside.
  const realWorkspace = await fs.realpath(workspace);
  let probe = target;
  for (;;) {
    try {
      const real = await fs.realpath(probe);
      if (!isWithin(realWorkspace, real)) {
        throw new WorkspaceEscapeError(`The ${what} ${JSON.stringify(relative)} resolves through a symlink outside the workspace`);
      }
      break;
    } catch (error) {
      if (error instanceof WorkspaceEscapeError) throw error;
      const parent = path.dirname(probe);
      if (parent === probe) break;
      probe = parent;
    }
  }
  return target;
}

/**
 * No step may create or touch git metadata in the workspace (`.git`, `.GIT`, `git~1` at any
 * depth): publish:git commits the workspace, and a `.git` entry there could configure git.
 */
function refuseGitMetadata(workspace: string, target: string, relative: string, what: string): void {
  if (isGitMetadataPath(path.relative(workspace, target))) {
    throw new WorkspaceEscapeError(`The ${what} ${JSON.stringify(relative)} is git metadata (.git), which templates may not write`);
  }
}

/** Writes a file inside the workspace, creating folders; refuses paths that leave it. */
export async function writeWorkspaceFile(workspace: string, relative: string, content: Buffer | string, mode?: number): Promise<string> {
  const target = path.resolve(workspace, relative);
  if (!isWithin(workspace, target)) throw new WorkspaceEscapeError(`The path ${JSON.stringify(relative)} points outside the workspace`);
  refuseGitMetadata(workspace, target, relative, 'path');
  await fs.mkdir(path.dirname(target), { recursive: true });
  // After mkdir the parent exists: one realpath check covers symlinked folders on the way.
  await resolveInWorkspace(workspace, relative);
  // Never write through an existing symlink.
  const existing = await fs.lstat(target).catch(() => undefined);
  if (existing?.isSymbolicLink()) throw new WorkspaceEscapeError(`Refusing to write through the symlink ${relative}`);
  await fs.writeFile(target, content, mode !== undefined ? { mode } : {});
  return target;
}

/** A fresh folder under `parent` (created when missing), e.g. `<dataDir>/scaffolder/work/ws-XXXXXX`. */
export async function createTempDir(parent: string, prefix: string): Promise<string> {
  await fs.mkdir(parent, { recursive: true });
  return fs.mkdtemp(path.join(parent, `${prefix}-`));
}

export async function removeDir(dir: string): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** Every regular file in a directory, relative and `/`-separated; symlinks are not followed. */
export async function listFiles(root: string): Promise<Array<{ path: string; executable: boolean }>> {
  const out: Array<{ path: string; executable: boolean }> = [];
  async function walk(dir: string): Promise<void> {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      if (isGitMetadataPath(entry.name)) continue;
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(abs);
      else if (entry.isFile()) {
        const stat = await fs.stat(abs);
        out.push({ path: path.relative(root, abs).split(path.sep).join('/'), executable: (stat.mode & 0o111) !== 0 });
      }
    }
  }
  await walk(root);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
