import { describe, expect, it } from 'vitest';
import type { TaskEventBody, TaskSpec } from '../common/index.js';
import { debugActions } from './actions/debug.js';
import { ActionRegistry } from './actions/registry.js';
import { Limiter, runSteps, TaskCancelledError, type RunContext } from './engine.js';

function waitSpec(): TaskSpec {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    steps: [{ id: 'wait', name: 'Wait', action: 'debug:wait', input: { minutes: 5 } }],
    output: {},
    parameters: {},
    user: { ref: 'user:default/test' },
    templateInfo: { entityRef: 'template:default/wait' },
  };
}

describe('runSteps and cancellation', () => {
  it('stops a step when the task is aborted after the step was checked but before it started', async () => {
    const registry = new ActionRegistry();
    for (const action of debugActions) registry.register(action);
    const controller = new AbortController();
    const run: RunContext = {
      taskId: 't1',
      spec: waitSpec(),
      secrets: {},
      workspacePath: '/nonexistent',
      isDryRun: false,
      signal: controller.signal,
      registry,
      sources: undefined as never,
      catalog: undefined as never,
      workDir: '/nonexistent',
      stepTimeoutMs: 600_000,
      // The shutdown lands while the step's "Beginning step" status is being written.
      async emit(body: TaskEventBody) {
        if (body.status === 'processing') controller.abort(new Error('backend shutting down'));
      },
    };
    const started = Date.now();
    await expect(runSteps(run)).rejects.toBeInstanceOf(TaskCancelledError);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a limiter refuses a waiter whose task is already aborted', async () => {
    const limiter = new Limiter(1);
    await limiter.acquire();
    const aborted = new AbortController();
    aborted.abort();
    await expect(limiter.acquire(aborted.signal)).rejects.toBeInstanceOf(TaskCancelledError);
  });
});
