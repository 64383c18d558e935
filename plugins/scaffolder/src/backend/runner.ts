import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Logger } from '@atrium/backend-plugin-api';
import type { CatalogService } from '@atrium/plugin-catalog/common';
import type { Knex } from 'knex';
import type { DryRunResponse, JsonObject, StepStatus, TaskEventBody, TaskSpec } from '../common/index.js';
import type { ActionRegistry } from './actions/registry.js';
import type { ScaffolderConfig } from './config.js';
import type { ScaffolderPaths } from './paths.js';
import { isInterruption, Limiter, runSteps, TaskCancelledError, TaskSuspendedError, withWorkspace, type DurableHooks } from './engine.js';
import { restoreWorkspace, snapshotWorkspace } from './tasks/durable.js';
import { TemplateRenderer } from './templating/renderer.js';
import { toStoredWaiting, type WaitService } from './tasks/waits.js';
import { defaultSourceSettings, parseTemplateBase, TemplateSources, type SourceReaderSettings } from './sources.js';
import { maskSecrets } from './tasks/secrets.js';
import { LeaseLostError, type ClaimedTask, type RecordedStep, type TaskStore } from './tasks/taskStore.js';
import { createTempDir, listFiles, removeDir, writeWorkspaceFile } from './workspace.js';

export interface RunnerDeps {
  store: TaskStore;
  registry: ActionRegistry;
  catalog: CatalogService;
  config: ScaffolderConfig;
  logger: Logger;
  paths: ScaffolderPaths;
  db: Knex;
  /** This replica's id: the holder recorded on claimed tasks and steps. */
  workerId: string;
  waits: WaitService;
}

/** The reason a running task is aborted when its backend stops: the task is let go, and any replica resumes it. */
export class ShutdownError extends Error {
  constructor() {
    super('The backend shut down while this task was running; another replica (or this one, restarted) resumes it.');
    this.name = 'ShutdownError';
  }
}

const MAX_DRY_RUN_BYTES = 10 * 1024 * 1024;

/** Runs stored tasks and dry runs through the engine with the plugin's services. */
export class TaskRunner {
  private readonly sourceSettings: SourceReaderSettings;
  private readonly ioLimiter: Limiter;

  constructor(private readonly deps: RunnerDeps) {
    this.ioLimiter = new Limiter(deps.config.ioConcurrency ?? 4);
    this.sourceSettings = {
      ...defaultSourceSettings(deps.paths.gitCache),
      fileRoots: deps.config.readers.fileRoots,
      allowPrivateNetworks: deps.config.readers.allowPrivateNetworks,
      maxBytes: deps.config.readers.maxBytes,
    };
  }

  /** The text of a template's own file (file and git locations), for the form's field order. */
  async readTemplateSource(locationRef: string): Promise<string | undefined> {
    const base = parseTemplateBase(locationRef);
    if (!base || base.type === 'url') return undefined;
    const sources = new TemplateSources(base, this.sourceSettings);
    const file = base.type === 'file' ? base.path : `/${base.path}`;
    return (await sources.readFile(base.type === 'file' ? file : `./${base.path.split('/').pop()}`)).toString('utf8');
  }

  /**
   * Runs a claimed task from its first unfinished step to its end, or until a step waits (the
   * task is put aside with no worker) or this replica stops (the task is let go for any replica
   * to resume). Each step's outcome and the workspace after it are recorded as it finishes. The
   * workspace is always removed.
   */
  async runTask(task: ClaimedTask, signal: AbortSignal): Promise<void> {
    const { store, registry, workerId } = this.deps;
    const emit = (body: TaskEventBody) => store.appendEvent(task.id, 'log', body, task.secrets);
    try {
      const recorded = await store.getStepRecords(task.id);
      if (task.cancelRequested && task.compensate) {
        await this.compensate(task, recorded, signal);
        return;
      }
      // A step recorded as running was cut off (a crash, a restart, a replica lost).
      const cut = recorded.find((r) => r.status === 'processing');
      if (cut) {
        const step = task.spec.steps.find((s) => s.id === cut.stepId);
        if (step && !registry.isIdempotent(step.action)) {
          await store.needsAttention(
            task.id,
            cut.stepId,
            workerId,
            registry.get(step.action)
              ? `Step "${cut.stepId}" (${step.action}) was cut off while running (attempt ${cut.attempt}), and ${step.action} is not safe to run twice. Check what it did, then retry or skip it.`
              : `Step "${cut.stepId}" was cut off while running (attempt ${cut.attempt}), and its action ${step.action} is not installed on this replica. Check what it did, then retry or skip it.`,
          );
          return;
        }
        await emit({ message: `Step ${cut.stepId} was cut off while running; running it again (${step?.action} is idempotent)`, stepId: cut.stepId });
      }
      const resumed = recorded.filter((r) => r.status === 'completed' || r.status === 'skipped');
      await emit({ message: resumed.length ? `Resuming task ${task.id} after ${resumed.length} recorded step(s)` : `Starting task ${task.id}` });
      const output = await withWorkspace(this.deps.paths.work, async (workspacePath) => {
        // The workspace as the last finished step left it.
        const snapshot = [...resumed].reverse().find((r) => r.files);
        if (snapshot?.files) await restoreWorkspace(this.deps.db, workspacePath, snapshot.files);
        const durable: DurableHooks = {
          recorded: new Map(
            recorded.filter((r) => r.status === 'completed' || r.status === 'skipped').map((r) => [r.stepId, { status: r.status, output: r.output }]),
          ),
          stepStarted: (step, position) => store.stepStarted(task.id, step.id, position, workerId),
          stepFinished: async (step, position, status, out) => {
            const files = status === 'completed' ? await snapshotWorkspace(this.deps.db, workspacePath) : undefined;
            await store.stepFinished(task.id, step.id, position, workerId, status, out, files);
          },
          stepFailed: (step, position, status, error) => store.stepFailed(task.id, step.id, position, status, maskSecrets(error, task.secrets)),
        };
        return runSteps({
          taskId: task.id,
          spec: task.spec,
          secrets: task.secrets,
          workspacePath,
          workDir: this.deps.paths.work,
          isDryRun: false,
          signal,
          registry,
          sources: new TemplateSources(parseTemplateBase(task.spec.templateInfo.baseUrl), this.sourceSettings, signal),
          catalog: this.deps.catalog,
          stepTimeoutMs: this.deps.config.stepTimeoutSeconds * 1000,
          ...(task.deadlineAt ? { deadline: task.deadlineAt } : {}),
          durable,
          ioLimiter: this.ioLimiter,
          emit,
        });
      });
      await store.finishTask(task.id, 'completed', { output }, workerId);
    } catch (error) {
      await this.afterError(task, error, signal);
    }
  }

  private async afterError(task: ClaimedTask, error: unknown, signal: AbortSignal): Promise<void> {
    const { store, workerId, logger } = this.deps;
    try {
      if (error instanceof TaskSuspendedError) {
        const { waiting, wakeAt } = toStoredWaiting(error.stepId, error.wait, task.deadlineAt);
        await store.suspend(task.id, error.stepId, error.position, workerId, waiting, wakeAt, error.wait.waitingFor);
        await this.deps.waits.onSuspended(task.id, waiting);
        return;
      }
      const reason: unknown = signal.reason;
      if (error instanceof LeaseLostError || reason instanceof LeaseLostError) {
        logger.warn({ taskId: task.id }, 'scaffolder: another replica took this task over; stopped here without recording');
        return;
      }
      if (signal.aborted && isInterruption(reason)) {
        // Shutdown: let go at once; the step cut off is judged when the task is resumed.
        await store.release(task.id, workerId);
        return;
      }
      const cancelled = error instanceof TaskCancelledError || signal.aborted;
      if (cancelled && (await store.compensationRequested(task.id))) {
        await this.compensate(task, await store.getStepRecords(task.id), new AbortController().signal);
        return;
      }
      const text = cancelled ? 'The task was cancelled' : ((error as Error).message ?? String(error));
      await store.finishTask(task.id, cancelled ? 'cancelled' : 'failed', { error: maskSecrets(text, task.secrets) }, workerId);
    } catch (e) {
      if (e instanceof LeaseLostError) return;
      logger.error({ err: e, taskId: task.id }, 'scaffolder: could not record the task result');
    }
  }

  /**
   * Cancel with compensation: the `undo` of every completed step that has one, in reverse
   * order; then the task ends cancelled (or failed, naming the undo that failed).
   */
  private async compensate(task: ClaimedTask, recorded: RecordedStep[], signal: AbortSignal): Promise<void> {
    const { store, registry, workerId } = this.deps;
    const emit = (body: TaskEventBody) => store.appendEvent(task.id, 'log', body, task.secrets);
    const done = recorded.filter((r) => r.status === 'completed').sort((a, b) => b.position - a.position);
    await emit({ message: `Cancelled: undoing ${done.length} completed step(s) in reverse order` });
    for (const r of done) {
      const step = task.spec.steps.find((s) => s.id === r.stepId);
      const action = step ? registry.get(step.action) : undefined;
      if (!step || !action?.undo) continue;
      const logger = {
        info: (m: string) => void emit({ message: m, stepId: step.id }).catch(() => undefined),
        warn: (m: string) => void emit({ message: `warning: ${m}`, stepId: step.id }).catch(() => undefined),
        error: (m: string) => void emit({ message: `error: ${m}`, stepId: step.id }).catch(() => undefined),
      };
      try {
        await emit({ message: `Undoing step ${step.id} (${step.action})`, stepId: step.id });
        // The input as the step saw it: rendered again with the recorded outputs.
        const steps = Object.fromEntries(recorded.map((x) => [x.stepId, { output: x.output }]));
        const input = new TemplateRenderer().renderValue(step.input ?? {}, {
          parameters: task.spec.parameters,
          steps,
          secrets: task.secrets,
          user: task.spec.user,
          context: { task: { id: task.id } },
        }) as Record<string, unknown>;
        await action.undo({
          input,
          output: r.output,
          logger,
          secrets: task.secrets,
          user: task.spec.user,
          signal,
          taskId: task.id,
          stepId: step.id,
          catalog: this.deps.catalog,
        });
        await store.setStepStatus(task.id, step.id, 'undone' satisfies StepStatus);
        await emit({ message: `Undid step ${step.id}`, stepId: step.id, status: 'undone' });
      } catch (e) {
        const message = `Cancelled, but undoing step "${step.id}" failed: ${(e as Error).message}`;
        await store.finishTask(task.id, 'failed', { error: maskSecrets(message, task.secrets) }, workerId);
        return;
      }
    }
    await store.finishTask(task.id, 'cancelled', { error: 'Cancelled; completed steps were undone' }, workerId);
  }

  /** Runs a template with side-effecting steps skipped; returns files, log and output. */
  async dryRun(input: {
    spec: TaskSpec;
    secrets: Record<string, string>;
    directoryContents?: Array<{ path: string; base64Content: string }>;
    templateLocation?: string;
  }): Promise<DryRunResponse> {
    const log: DryRunResponse['log'] = [];
    let templateDir: string | undefined;
    try {
      let base = parseTemplateBase(input.templateLocation);
      if (input.directoryContents?.length) {
        templateDir = await fs.realpath(await createTempDir(this.deps.paths.work, 'dryrun-template'));
        for (const f of input.directoryContents) await writeWorkspaceFile(templateDir, f.path, Buffer.from(f.base64Content, 'base64'));
        base = { type: 'file', path: path.join(templateDir, 'template.yaml') };
      }
      const controller = new AbortController();
      return await withWorkspace(this.deps.paths.work, async (workspacePath) => {
        let output: JsonObject = {};
        try {
          output = await runSteps({
            taskId: 'dry-run',
            spec: input.spec,
            secrets: input.secrets,
            workspacePath,
            workDir: this.deps.paths.work,
            isDryRun: true,
            signal: controller.signal,
            registry: this.deps.registry,
            sources: new TemplateSources(base, this.sourceSettings, controller.signal),
            catalog: this.deps.catalog,
            stepTimeoutMs: this.deps.config.stepTimeoutSeconds * 1000,
            emit: async (body) => {
              if (log.length < this.deps.config.logs.maxEventsPerTask) {
                log.push({ body: { ...body, message: maskSecrets(body.message, input.secrets) } });
              }
            },
          });
        } catch (error) {
          log.push({ body: { message: `Run failed: ${maskSecrets((error as Error).message, input.secrets)}`, status: 'failed' } });
        }
        const files = await listFiles(workspacePath);
        let total = 0;
        const directoryContents: DryRunResponse['directoryContents'] = [];
        for (const f of files) {
          const content = await fs.readFile(path.join(workspacePath, f.path));
          total += content.length;
          if (total > MAX_DRY_RUN_BYTES) {
            log.push({ body: { message: `Dry-run result cut at ${MAX_DRY_RUN_BYTES} bytes; ${files.length - directoryContents.length} file(s) left out` } });
            break;
          }
          directoryContents.push({ path: f.path, executable: f.executable, base64Content: content.toString('base64') });
        }
        return { log, directoryContents, output, steps: input.spec.steps.map((s) => ({ id: s.id, name: s.name, action: s.action })) };
      });
    } finally {
      if (templateDir) await removeDir(templateDir);
    }
  }
}
