import { promises as fs } from 'node:fs';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { resolveInWorkspace, WorkspaceEscapeError } from '../workspace.js';
import { createTemplateAction, type AnyTemplateAction } from './types.js';

export const fsDeleteAction = createTemplateAction<{ files: string[] }>({
  id: 'fs:delete',
  description: 'Deletes files and folders (globs) from the workspace.',
  supportsDryRun: true,
  schema: { input: { type: 'object', required: ['files'], properties: { files: { type: 'array', items: { type: 'string', minLength: 1 } } } } },
  async handler(ctx) {
    let count = 0;
    for (const pattern of ctx.input.files) {
      if (path.isAbsolute(pattern) || pattern.split('/').includes('..')) {
        throw new WorkspaceEscapeError(`fs:delete: ${JSON.stringify(pattern)} points outside the workspace`);
      }
      const matches = await glob(pattern, { cwd: ctx.workspacePath, dot: true, onlyFiles: false, followSymbolicLinks: false });
      for (const match of matches) {
        const abs = await resolveInWorkspace(ctx.workspacePath, match.replace(/\/$/, ''), 'file');
        await fs.rm(abs, { recursive: true, force: true });
        count++;
      }
    }
    ctx.logger.info(`Deleted ${count} path(s)`);
  },
});

export const fsRenameAction = createTemplateAction<{ files: Array<{ from: string; to: string; overwrite?: boolean }> }>({
  id: 'fs:rename',
  description: 'Renames files and folders in the workspace.',
  supportsDryRun: true,
  schema: {
    input: {
      type: 'object',
      required: ['files'],
      properties: {
        files: {
          type: 'array',
          items: {
            type: 'object',
            required: ['from', 'to'],
            properties: { from: { type: 'string', minLength: 1 }, to: { type: 'string', minLength: 1 }, overwrite: { type: 'boolean' } },
          },
        },
      },
    },
  },
  async handler(ctx) {
    for (const file of ctx.input.files) {
      const from = await resolveInWorkspace(ctx.workspacePath, file.from, 'source');
      const to = await resolveInWorkspace(ctx.workspacePath, file.to, 'destination');
      const fromStat = await fs.lstat(from).catch(() => undefined);
      if (!fromStat) throw new Error(`fs:rename: ${file.from} does not exist`);
      if (
        !file.overwrite &&
        (await fs.lstat(to).then(
          () => true,
          () => false,
        ))
      ) {
        throw new Error(`fs:rename: ${file.to} already exists (set overwrite: true to replace it)`);
      }
      await fs.mkdir(path.dirname(to), { recursive: true });
      await fs.rm(to, { recursive: true, force: true });
      await fs.rename(from, to);
      ctx.logger.info(`Renamed ${file.from} to ${file.to}`);
    }
  },
});

export const fsActions: AnyTemplateAction[] = [fsDeleteAction, fsRenameAction];
