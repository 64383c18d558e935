import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Logger } from '@atrium/backend-plugin-api';
import type { CatalogService } from '@atrium/plugin-catalog/common';
import type { DryRunResponse, JsonObject, TaskEventBody, TaskSpec } from '../common/index.js';
import type { ActionRegistry } from './actions/registry.js';
import type { ScaffolderConfig } from './config.js';
import type { ScaffolderPaths } from './paths.js';
import { Limiter, runSteps, TaskCancelledError, withWorkspace } from './engine.js';
import { defaultSourceSettings, parseTemplateBase, TemplateSources, type SourceReaderSettings } from './sources.js';
import { maskSecrets } from './tasks/secrets.js';
import type { ClaimedTask, TaskStore } from './tasks/taskStore.js';
import { createTempDir, listFiles, removeDir, writeWorkspaceFile } from './workspace.js';

export interface RunnerDeps {
  store: TaskStore;
  registry: ActionRegistry;
  catalog: CatalogService;
  config: ScaffolderConfig;
  logger: Logger;
  paths: ScaffolderPaths;
}

/** The reason a running task is aborted when its backend stops: the task ends failed, not cancelled. */
export class ShutdownError extends Error {
  constructor() {
    super('The backend shut down while this task was running; nothing is resumed. Use "Start over" to run it again.');
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

  /** Runs a claimed task to its final state; the workspace is always removed. */
  async runTask(task: ClaimedTask, signal: AbortSignal): Promise<void> {
    const { store } = this.deps;
    const emit = (body: TaskEventBody) => store.appendEvent(task.id, 'log', body, task.secrets);
    try {
      await emit({ message: `Starting task ${task.id}` });
      const output = await withWorkspace(this.deps.paths.work, (workspacePath) =>
        runSteps({
          taskId: task.id,
          spec: task.spec,
          secrets: task.secrets,
          workspacePath,
          workDir: this.deps.paths.work,
          isDryRun: false,
          signal,
          registry: this.deps.registry,
          sources: new TemplateSources(parseTemplateBase(task.spec.templateInfo.baseUrl), this.sourceSettings, signal),
          catalog: this.deps.catalog,
          stepTimeoutMs: this.deps.config.stepTimeoutSeconds * 1000,
          ioLimiter: this.ioLimiter,
          emit,
        }),
      );
      await store.finishTask(task.id, 'completed', { output });
    } catch (error) {
      const shutdown = signal.reason instanceof ShutdownError;
      const cancelled = !shutdown && (error instanceof TaskCancelledError || signal.aborted);
      const text = shutdown ? signal.reason.message : cancelled ? 'The task was cancelled' : ((error as Error).message ?? String(error));
      const message = maskSecrets(text, task.secrets);
      await store.finishTask(task.id, cancelled ? 'cancelled' : 'failed', { error: message }).catch((e: unknown) =>
        this.deps.logger.error({ err: e, taskId: task.id }, 'scaffolder: could not record the task result'),
      );
    }
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
