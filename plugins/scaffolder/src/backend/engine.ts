import { promises as fs } from 'node:fs';
import type { FieldError } from '@atrium/backend-plugin-api';
import type { CatalogService } from '@atrium/plugin-catalog/common';
import type { JsonObject, StepStatus, TaskEventBody, TaskSpec, TaskStep } from '../common/index.js';
import { describeMs, parseDurationMs } from './tasks/durable.js';
import type { WaitRequest } from './actions/types.js';
import type { ActionRegistry } from './actions/registry.js';
import type { StepLogger } from './actions/types.js';
import type { TemplateSources } from './sources.js';
import { safeOutputLinks } from './outputLinks.js';
import { isTruthy, TemplateRenderer } from './templating/renderer.js';
import { createTempDir, removeDir } from './workspace.js';

/** A step that cannot run as written: unknown action or input that fails its schema. */
export class StepValidationError extends Error {
  constructor(
    message: string,
    readonly errors: Array<FieldError & { stepId: string }>,
  ) {
    super(message);
    this.name = 'StepValidationError';
  }
}

export class StepTimeoutError extends Error {
  constructor(stepId: string, ms: number, why = 'its timeout') {
    super(`Step "${stepId}" timed out after ${describeMs(ms)} (${why})`);
    this.name = 'StepTimeoutError';
  }
}

/** The task's own `spec.timeout` passed: names the step it was at. */
export class TaskTimeoutError extends Error {
  constructor(stepId: string, timeout: string, what = 'running') {
    super(`The task timed out (spec.timeout ${timeout}) while ${what} step "${stepId}"`);
    this.name = 'TaskTimeoutError';
  }
}

/** A waiting step was reached: the task is put aside (no worker) until the wait is over. */
export class TaskSuspendedError extends Error {
  constructor(
    readonly stepId: string,
    readonly position: number,
    readonly wait: WaitRequest,
  ) {
    super(`Step "${stepId}" waits: ${wait.description}`);
    this.name = 'TaskSuspendedError';
  }
}

/** Where a durable run records each step's outcome, and what was recorded before (resume). */
export interface DurableHooks {
  /** Outcomes recorded by earlier runs: completed and skipped steps are not run again. */
  recorded: Map<string, { status: StepStatus; output: JsonObject }>;
  stepStarted(step: TaskStep, position: number): Promise<void>;
  stepFinished(step: TaskStep, position: number, status: 'completed' | 'skipped', output: JsonObject): Promise<void>;
  stepFailed(step: TaskStep, position: number, status: 'failed' | 'cancelled', error: string): Promise<void>;
}

export class TaskCancelledError extends Error {
  constructor() {
    super('The task was cancelled');
    this.name = 'TaskCancelledError';
  }
}

export interface RunContext {
  taskId: string;
  spec: TaskSpec;
  secrets: Record<string, string>;
  workspacePath: string;
  /** Where step scratch folders are made (`<dataDir>/scaffolder/work`). */
  workDir: string;
  isDryRun: boolean;
  signal: AbortSignal;
  registry: ActionRegistry;
  sources: TemplateSources;
  catalog: CatalogService;
  stepTimeoutMs: number;
  /** When the task's `spec.timeout` runs out. */
  deadline?: Date;
  /** Durable runs record steps; dry runs have none. */
  durable?: DurableHooks;
  /** Bounds how many file- and process-heavy steps run at once across all tasks of this replica. */
  ioLimiter?: Limiter;
  /** Receives log and step-status events (secrets are masked by the sink). */
  emit(body: TaskEventBody): Promise<void>;
}

/** Expressions that read a step's output or the loop item can only be checked when the step runs. */
function dependsOnRuntime(value: unknown): boolean {
  const text = JSON.stringify(value ?? null);
  return /\$\{\{[^}]*\b(steps|each)\b/.test(text) || /\{%/.test(text);
}

/**
 * Checks every step before anything runs: the action exists, and its input, rendered with the
 * parameters, matches the action's schema (steps whose input reads other steps' output are
 * checked again right before they run).
 */
export function preflight(spec: TaskSpec, registry: ActionRegistry, secrets: Record<string, string> = {}): void {
  const renderer = new TemplateRenderer();
  const errors: Array<FieldError & { stepId: string }> = [];
  for (const step of spec.steps) {
    const action = registry.get(step.action);
    if (!action) {
      errors.push({ stepId: step.id, path: `steps.${step.id}.action`, message: `unknown action "${step.action}"` });
      continue;
    }
    if (dependsOnRuntime(step.input)) continue;
    let input: unknown;
    try {
      input = renderer.renderValue(step.input ?? {}, { parameters: spec.parameters, secrets, user: spec.user, context: { task: { id: 'preflight' } } });
    } catch (e) {
      errors.push({ stepId: step.id, path: `steps.${step.id}.input`, message: (e as Error).message });
      continue;
    }
    for (const fe of registry.validateInput(step.action, stripUndefined(input))) {
      errors.push({ stepId: step.id, path: `steps.${step.id}.${fe.path}`, message: fe.message });
    }
  }
  if (errors.length) {
    throw new StepValidationError(`Invalid template steps: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, errors);
  }
}

function stripUndefined(v: unknown): unknown {
  return v === undefined ? undefined : (JSON.parse(JSON.stringify(v ?? null)) as unknown);
}

/** Runs a task's steps in order against a workspace; returns the rendered `spec.output`. */
export async function runSteps(run: RunContext): Promise<JsonObject> {
  const renderer = new TemplateRenderer();
  const steps: Record<string, { output: JsonObject }> = {};
  const baseContext = () => ({
    parameters: run.spec.parameters,
    steps,
    secrets: run.secrets,
    user: run.spec.user,
    context: { task: { id: run.taskId } },
  });

  for (const [position, step] of run.spec.steps.entries()) {
    if (run.signal.aborted) throw new TaskCancelledError();
    const recorded = run.durable?.recorded.get(step.id);
    if (recorded && (recorded.status === 'completed' || recorded.status === 'skipped')) {
      // Done in an earlier run of this task (before a restart, a wait, a retry): not again.
      steps[step.id] = { output: recorded.output };
      continue;
    }
    const status = (s: StepStatus, message: string) => run.emit({ message, stepId: step.id, status: s });
    const logger: StepLogger = {
      info: (m) => void run.emit({ message: m, stepId: step.id }).catch(() => undefined),
      warn: (m) => void run.emit({ message: `warning: ${m}`, stepId: step.id }).catch(() => undefined),
      error: (m) => void run.emit({ message: `error: ${m}`, stepId: step.id }).catch(() => undefined),
    };

    if (step.if !== undefined) {
      const cond = typeof step.if === 'string' ? renderer.renderValue(step.if, baseContext()) : step.if;
      if (!isTruthy(cond)) {
        steps[step.id] = { output: {} };
        await run.durable?.stepFinished(step, position, 'skipped', {});
        await status('skipped', `Skipping step ${step.id}: condition was false`);
        continue;
      }
    }
    const action = run.registry.get(step.action);
    if (!action)
      throw new StepValidationError(`Step "${step.id}": unknown action "${step.action}"`, [
        { stepId: step.id, path: `steps.${step.id}.action`, message: `unknown action "${step.action}"` },
      ]);
    if (run.isDryRun && (!action.supportsDryRun || action.beginWait)) {
      steps[step.id] = { output: {} };
      await status('skipped', `Skipping step ${step.id} (${step.action}) in dry run: ${action.beginWait ? 'it waits' : 'it has side effects'}`);
      continue;
    }
    if (run.deadline && Date.now() >= run.deadline.getTime()) throw new TaskTimeoutError(step.id, String(run.spec.timeout), 'starting');

    await run.durable?.stepStarted(step, position);
    await status('processing', `Beginning step ${step.name}`);
    const output: JsonObject = {};
    try {
      const iterations = iterationsOf(step, renderer, baseContext());
      if (action.beginWait) {
        // A waiting step: its input is checked now, then the task is put aside until the wait ends.
        const input = stripUndefined(renderer.renderValue(step.input ?? {}, baseContext())) as JsonObject;
        const fieldErrors = run.registry.validateInput(step.action, input);
        if (fieldErrors.length) {
          throw new StepValidationError(
            `Invalid input for step "${step.id}" (${step.action}): ${fieldErrors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
            fieldErrors.map((e) => ({ ...e, stepId: step.id })),
          );
        }
        const timeoutMs = stepTimeoutOf(step);
        const begun = await action.beginWait({
          input,
          taskId: run.taskId,
          stepId: step.id,
          user: run.spec.user,
          catalog: run.catalog,
          logger,
          signal: run.signal,
          ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        });
        if ('wait' in begun) throw new TaskSuspendedError(step.id, position, begun.wait);
        Object.assign(output, begun.done);
      }
      for (const each of action.beginWait ? [] : iterations) {
        if (run.signal.aborted) throw new TaskCancelledError();
        const context = each ? { ...baseContext(), each } : baseContext();
        const input = stripUndefined(renderer.renderValue(step.input ?? {}, context)) as JsonObject;
        const fieldErrors = run.registry.validateInput(step.action, input);
        if (fieldErrors.length) {
          throw new StepValidationError(
            `Invalid input for step "${step.id}" (${step.action}): ${fieldErrors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
            fieldErrors.map((e) => ({ ...e, stepId: step.id })),
          );
        }
        if (each) logger.info(`Running ${step.action} for item ${JSON.stringify(each.key)}`);
        const heavy = HEAVY_ACTIONS.has(step.action) && run.ioLimiter;
        if (heavy) await run.ioLimiter!.acquire(run.signal);
        try {
          await runWithTimeout(step, run, async (signal) => {
            const temps: string[] = [];
            try {
              await action.handler({
                input,
                workspacePath: run.workspacePath,
                logger,
                output: (name, value) => void (output[name] = value),
                createTemporaryDirectory: async () => {
                  const dir = await createTempDir(run.workDir, 'step');
                  temps.push(dir);
                  return dir;
                },
                secrets: run.secrets,
                user: run.spec.user,
                templateInfo: run.spec.templateInfo,
                isDryRun: run.isDryRun,
                signal,
                taskId: run.taskId,
                stepId: step.id,
                sources: run.sources,
                catalog: run.catalog,
              });
            } finally {
              await Promise.all(temps.map(removeDir));
            }
          });
        } finally {
          if (heavy) run.ioLimiter!.release();
        }
      }
    } catch (error) {
      if (error instanceof TaskSuspendedError) {
        await status('waiting', `Step ${step.id} is waiting: ${error.wait.description}`);
        throw error;
      }
      // Stopped by a shutdown or a lost lease: the step stays recorded as processing, for the resume to judge.
      const reason: unknown = run.signal.reason;
      if (run.signal.aborted && isInterruption(reason)) throw reason;
      const cancelled = run.signal.aborted;
      const message = cancelled ? `Step ${step.id} cancelled` : `Step ${step.id} failed: ${(error as Error).message}`;
      await run.durable?.stepFailed(step, position, cancelled ? 'cancelled' : 'failed', cancelled ? 'cancelled' : (error as Error).message);
      await status(cancelled ? 'cancelled' : 'failed', message);
      throw cancelled ? new TaskCancelledError() : error;
    }
    steps[step.id] = { output };
    await run.durable?.stepFinished(step, position, 'completed', output);
    await status('completed', `Finished step ${step.name}`);
  }

  return renderOutput(run.spec.output, renderer, baseContext());
}

function iterationsOf(
  step: TaskStep,
  renderer: TemplateRenderer,
  context: Record<string, unknown>,
): Array<{ key: string | number; value: unknown } | undefined> {
  if (step.each === undefined) return [undefined];
  const value = typeof step.each === 'string' ? renderer.renderValue(step.each, context) : step.each;
  if (Array.isArray(value)) return value.map((v, i) => ({ key: i, value: v }));
  if (value && typeof value === 'object') return Object.entries(value).map(([k, v]) => ({ key: k, value: v }));
  throw new Error(`Step "${step.id}": each must be an array or an object, got ${JSON.stringify(value)}`);
}

/** An abort that is not the task's fault: this replica stops (shutdown) or lost the task to another. */
export function isInterruption(reason: unknown): reason is Error {
  return reason instanceof Error && (reason.name === 'ShutdownError' || reason.name === 'LeaseLostError');
}

/** A step's own `timeout`, in ms (undefined: none or not understood; registration refuses the latter). */
export function stepTimeoutOf(step: TaskStep): number | undefined {
  return step.timeout === undefined ? undefined : parseDurationMs(step.timeout);
}

async function runWithTimeout(step: TaskStep, run: RunContext, fn: (signal: AbortSignal) => Promise<void>): Promise<void> {
  // The shortest of: the step's own timeout, the configured step limit, what is left of the task's.
  const own = stepTimeoutOf(step);
  let limitMs = own ?? run.stepTimeoutMs;
  let makeError = () => new StepTimeoutError(step.id, limitMs, own !== undefined ? `its timeout ${String(step.timeout)}` : 'scaffolder.stepTimeoutSeconds');
  if (run.deadline && run.deadline.getTime() - Date.now() < limitMs) {
    limitMs = Math.max(0, run.deadline.getTime() - Date.now());
    makeError = () => new TaskTimeoutError(step.id, String(run.spec.timeout));
  }
  const controller = new AbortController();
  const cancelled = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  cancelled.catch(() => undefined); // observed by the race below
  const onAbort = () => controller.abort(new TaskCancelledError());
  // The task may have been aborted between the check before this step and here: an 'abort'
  // listener added now would never fire, and the step would run to its own end (a shutdown
  // once waited the whole 5 minutes of a debug:wait step this way).
  if (run.signal.aborted) onAbort();
  else run.signal.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = makeError();
      controller.abort(err);
      reject(err);
    }, limitMs);
  });
  try {
    await Promise.race([fn(controller.signal), timeout, cancelled]);
  } finally {
    clearTimeout(timer);
    run.signal.removeEventListener('abort', onAbort);
  }
}

function renderOutput(output: JsonObject | undefined, renderer: TemplateRenderer, context: Record<string, unknown>): JsonObject {
  if (!output) return {};
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(output)) {
    if ((key === 'links' || key === 'text') && Array.isArray(value)) {
      const items = value
        .filter((item: { if?: unknown }) => item.if === undefined || isTruthy(typeof item.if === 'string' ? renderer.renderValue(item.if, context) : item.if))
        .map((item: JsonObject) => {
          const { if: _if, ...rest } = item;
          return stripUndefined(renderer.renderValue(rest, context));
        });
      // A link is only ever served with a URL a browser cannot run (no javascript:, data:, ...).
      out[key] = (key === 'links' ? safeOutputLinks(items) : items) as JsonObject[];
    } else out[key] = stripUndefined(renderer.renderValue(value, context));
  }
  return out;
}

/** Makes a fresh workspace under `workDir`, runs `fn`, and always removes it. */
export async function withWorkspace<T>(workDir: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await createTempDir(workDir, 'ws');
  try {
    return await fn(await fs.realpath(dir));
  } finally {
    await removeDir(dir);
  }
}

/** Actions that write many files or spawn processes; the event loop pays for each of those. */
const HEAVY_ACTIONS = new Set(['fetch:plain', 'fetch:template', 'fetch:cookiecutter', 'fetch:template:file', 'publish:git', 'fs:delete', 'fs:rename']);

/** A counting semaphore: at most `size` holders; waiters give up when their task is aborted. */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly size: number) {}

  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new TaskCancelledError());
    if (this.active < this.size) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        this.active++;
        resolve();
      };
      const onAbort = () => {
        const i = this.waiting.indexOf(grant);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(new TaskCancelledError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(grant);
    });
  }

  release(): void {
    this.active--;
    this.waiting.shift()?.();
  }
}
