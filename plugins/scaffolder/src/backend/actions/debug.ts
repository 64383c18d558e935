import { promises as fs } from 'node:fs';
import path from 'node:path';
import { listFiles } from '../workspace.js';
import { createTemplateAction, type AnyTemplateAction } from './types.js';

export const debugLogAction = createTemplateAction<{ message?: string; listWorkspace?: boolean | 'with-filenames' | 'with-contents' }>({
  id: 'debug:log',
  description: 'Writes a message to the task log, optionally listing the workspace.',
  supportsDryRun: true,
  schema: {
    input: {
      type: 'object',
      properties: { message: { type: 'string' }, listWorkspace: { anyOf: [{ type: 'boolean' }, { enum: ['with-filenames', 'with-contents'] }] }, extra: {} },
    },
  },
  async handler(ctx) {
    if (ctx.input.message) ctx.logger.info(ctx.input.message);
    if (ctx.input.listWorkspace) {
      const files = await listFiles(ctx.workspacePath);
      for (const f of files) {
        if (ctx.input.listWorkspace === 'with-contents') {
          const content = await fs.readFile(path.join(ctx.workspacePath, f.path), 'utf8');
          ctx.logger.info(`${f.path}:\n${content}`);
        } else ctx.logger.info(f.path);
      }
    }
  },
});

/** At most ten minutes, like Backstage. */
const MAX_WAIT_MS = 10 * 60 * 1000;

export const debugWaitAction = createTemplateAction<{ minutes?: number; seconds?: number; milliseconds?: number }>({
  id: 'debug:wait',
  description: 'Waits for a while (at most 10 minutes); cancelling the task ends the wait.',
  supportsDryRun: true,
  schema: {
    input: {
      type: 'object',
      properties: { minutes: { type: 'number', minimum: 0 }, seconds: { type: 'number', minimum: 0 }, milliseconds: { type: 'number', minimum: 0 } },
    },
  },
  async handler(ctx) {
    const ms = (ctx.input.minutes ?? 0) * 60_000 + (ctx.input.seconds ?? 0) * 1000 + (ctx.input.milliseconds ?? 0);
    if (ms > MAX_WAIT_MS) throw new Error(`debug:wait: ${ms} ms is longer than the 10 minute limit`);
    ctx.logger.info(`Waiting ${ms} ms`);
    await new Promise<void>((resolve, reject) => {
      const stop = () => reject(ctx.signal.reason instanceof Error ? ctx.signal.reason : new Error('Aborted'));
      if (ctx.signal.aborted) return stop();
      const timer = setTimeout(resolve, ms);
      ctx.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          stop();
        },
        { once: true },
      );
    });
  },
});

export const debugActions: AnyTemplateAction[] = [debugLogAction, debugWaitAction];
