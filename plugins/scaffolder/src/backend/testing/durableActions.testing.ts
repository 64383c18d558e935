import { promises as fs } from 'node:fs';
import path from 'node:path';
import { definePlugin } from '@atrium/backend-plugin-api';
import { createTemplateAction } from '../actions/types.js';
import { scaffolderActionsRef } from '../scaffolderService.js';

/** Appends one line to `<dir>/<name>.log`: how often a side effect happened, across processes. */
async function count(dir: string, name: string, what: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.appendFile(path.join(dir, `${name}.log`), `${what} ${process.pid}\n`);
}

/** Lines of `<dir>/<name>.log` that start with `what`. */
export async function counted(dir: string, name: string, what = 'ran'): Promise<number> {
  const text = await fs.readFile(path.join(dir, `${name}.log`), 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l.startsWith(`${what} `)).length;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });
}

/**
 * Test-only actions, registered through scaffolderActionsRef like any integration's: `test:count`
 * writes a workspace file and counts the side effect (not idempotent; `undo` counts too),
 * `test:slow` counts a start, waits, then writes (idempotent), `test:once` counts, waits, writes
 * (not idempotent).
 */
export function durableTestActionsPlugin(countDir: string) {
  return definePlugin<unknown, { scaffolder: typeof scaffolderActionsRef }>({
    id: 'durable-test-actions',
    deps: { scaffolder: scaffolderActionsRef },
    async setup({ deps }) {
      deps.scaffolder.registerAction(
        createTemplateAction<{ file: string; content: string }>({
          id: 'test:count',
          schema: { input: { type: 'object', required: ['file', 'content'], properties: { file: { type: 'string' }, content: { type: 'string' } } } },
          async handler(ctx) {
            await count(countDir, `${ctx.taskId}-${ctx.stepId}`, 'ran');
            await fs.writeFile(path.join(ctx.workspacePath, ctx.input.file), ctx.input.content);
            ctx.output('written', ctx.input.content);
          },
          async undo(ctx) {
            await count(countDir, `${ctx.taskId}-${ctx.stepId}`, 'undone');
            ctx.logger.info(`undid ${String(ctx.output['written'])}`);
          },
        }),
      );
      deps.scaffolder.registerAction(
        createTemplateAction<{ ms: number; file: string }>({
          id: 'test:slow',
          idempotent: true,
          schema: { input: { type: 'object', required: ['ms', 'file'], properties: { ms: { type: 'number' }, file: { type: 'string' } } } },
          async handler(ctx) {
            await count(countDir, `${ctx.taskId}-${ctx.stepId}`, 'started');
            ctx.logger.info('slow step started');
            await sleep(ctx.input.ms, ctx.signal);
            await fs.writeFile(path.join(ctx.workspacePath, ctx.input.file), 'slow done');
            await count(countDir, `${ctx.taskId}-${ctx.stepId}`, 'ran');
          },
        }),
      );
      deps.scaffolder.registerAction(
        createTemplateAction<{ ms: number }>({
          id: 'test:once',
          schema: { input: { type: 'object', required: ['ms'], properties: { ms: { type: 'number' } } } },
          async handler(ctx) {
            await count(countDir, `${ctx.taskId}-${ctx.stepId}`, 'started');
            ctx.logger.info('charging the credit card (not safe to repeat)');
            await sleep(ctx.input.ms, ctx.signal);
            await count(countDir, `${ctx.taskId}-${ctx.stepId}`, 'ran');
          },
        }),
      );
      return undefined;
    },
  });
}

export const durableTemplates = (extra: Record<string, string> = {}): Record<string, string> => ({
  'catalog.yaml': `apiVersion: backstage.io/v1alpha1
kind: Location
metadata: { name: durable-fixtures }
spec:
  targets: [${['durable-five', 'durable-once', ...Object.keys(extra)].map((n) => `./${n}.yaml`).join(', ')}]
`,
  'durable-five.yaml': `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: { name: durable-five }
spec:
  type: service
  parameters:
    - properties:
        name: { type: string }
        remote: { type: string }
        ms: { type: number }
  steps:
    - id: one
      action: test:count
      input: { file: one.txt, content: '\${{ parameters.name }}-1' }
    - id: two
      action: test:count
      input: { file: two.txt, content: '\${{ steps.one.output.written }}-2' }
    - id: three
      action: test:slow
      input: { ms: '\${{ parameters.ms }}', file: three.txt }
    - id: four
      action: test:count
      input: { file: four.txt, content: '\${{ steps.two.output.written }}-4' }
    - id: five
      action: publish:git
      input: { repoUrl: '\${{ parameters.remote }}', gitAuthorName: Durable, gitAuthorEmail: durable@example.com, gitCommitMessage: durable }
  output:
    chain: '\${{ steps.four.output.written }}'
`,
  'durable-once.yaml': `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: { name: durable-once }
spec:
  type: service
  parameters:
    - properties:
        ms: { type: number }
  steps:
    - id: first
      action: test:count
      input: { file: first.txt, content: first }
    - id: charge
      action: test:once
      input: { ms: '\${{ parameters.ms }}' }
    - id: last
      action: test:count
      input: { file: last.txt, content: last }
`,
  ...Object.fromEntries(Object.entries(extra).map(([name, yaml]) => [`${name}.yaml`, yaml])),
});
