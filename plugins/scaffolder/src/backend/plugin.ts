import { coreServices, definePlugin, mountRoutes } from '@atrium/backend-plugin-api';
import { catalogServiceRef } from '@atrium/plugin-catalog/backend';
import { notificationsServiceRef } from '@atrium/plugin-notifications/backend';
import { createBuiltinRegistry } from './actions/builtin.js';
import type { ScaffolderActionsService } from './actions/types.js';
import { publishFileRoots, readerFileRoots, scaffolderConfigSchema, type ScaffolderConfig } from './config.js';
import { scaffolderPaths } from './paths.js';
import { scaffolderOpenApi } from './openapi.js';
import { scaffolderRoutes } from './routes/index.js';
import { TaskRunner } from './runner.js';
import { scaffolderActionsRef } from './scaffolderService.js';
import { scaffolderMigrations } from './tasks/migrations.js';
import { SecretBox } from './tasks/secrets.js';
import { TaskStore } from './tasks/taskStore.js';
import { TaskWorker } from './tasks/taskWorker.js';
import { collectBlobs } from './tasks/durable.js';
import { CallbackSigner, createLocalGitPullRequestChecker, createWaitActions, WaitService } from './tasks/waits.js';
import { anonymousWhenSignedOut } from './routes/callbackAuth.js';
import { callbackRoute } from './routes/steps.js';
import { scaffolderPermissions } from './permissions.js';
import { registerTemplateCheck } from './templateEntityCheck.js';
import { followPullRequestEvents } from './tasks/pullRequestEvents.js';
import { startTask } from './startTask.js';
import { taskOutcomeRecorder } from './taskOutcomes.js';

/**
 * Runs Backstage v1beta3 software templates: tasks in Postgres claimed by any replica,
 * built-in actions plus those plugins register, live logs, dry runs, approvals.
 */
export const scaffolderPlugin = definePlugin<
  ScaffolderConfig,
  { catalog: typeof catalogServiceRef; eventLog: typeof coreServices.eventLog },
  ScaffolderActionsService,
  { notifications: typeof notificationsServiceRef }
>({
  id: 'scaffolder',
  permissions: scaffolderPermissions,
  configSchema: scaffolderConfigSchema,
  migrations: scaffolderMigrations,
  deps: { catalog: catalogServiceRef, eventLog: coreServices.eventLog },
  // notification:send delivers through the notifications plugin when it is installed.
  optionalDeps: { notifications: notificationsServiceRef },
  provides: scaffolderActionsRef,
  openapi: scaffolderOpenApi,
  routes: scaffolderRoutes,
  async setup({
    router,
    db,
    config,
    configBaseDir,
    logger,
    scheduler,
    events,
    auth,
    permissions,
    audit,
    lifecycle,
    host,
    instance,
    deps,
    optionalDeps,
    baseUrl,
  }) {
    const paths = scaffolderPaths(host.dataDir);
    const box = await SecretBox.create(db, config.secretsKey);
    // Task outcomes (completed, failed, needs-attention, cancelled, rejected, awaiting-approval) go to the durable event log.
    const outcomes = taskOutcomeRecorder(deps.eventLog);
    const store = new TaskStore(db, box, config.logs, outcomes);
    const registry = createBuiltinRegistry({
      notifications: optionalDeps.notifications,
      publish: {
        fileRemoteRoots: publishFileRoots(config, paths, configBaseDir('scaffolder.publish.fileRoots')),
        workDir: paths.work,
        allowPrivateNetworks: config.publish.allowPrivateNetworks ?? false,
        defaultAuthor: config.defaultAuthor,
        defaultCommitMessage: config.defaultCommitMessage,
        timeoutMs: config.stepTimeoutSeconds * 1000,
      },
      httpAllowPrivateNetworks: config.http.allowPrivateNetworks,
    });
    const publishRoots = publishFileRoots(config, paths, configBaseDir('scaffolder.publish.fileRoots'));
    registry.registerPullRequestChecker(createLocalGitPullRequestChecker(publishRoots));
    const signer = await CallbackSigner.create(db, config.callbackSecret);
    for (const action of createWaitActions({ signer, baseUrl, checkers: registry.pullRequestCheckers })) registry.register(action);
    // eslint-disable-next-line prefer-const -- the worker needs the runner, which needs the waits, which wake the worker
    let worker: TaskWorker;
    const waits = new WaitService({
      db,
      store,
      checkers: registry.pullRequestCheckers,
      notifications: optionalDeps.notifications,
      logger,
      signer,
      audit,
      wake: () => worker.wake(),
    });

    const runner = new TaskRunner({
      store,
      registry,
      catalog: deps.catalog,
      config: { ...config, readers: { ...config.readers, fileRoots: readerFileRoots(config, configBaseDir('scaffolder.readers.fileRoots')) } },
      logger,
      paths,
      db,
      workerId: instance.replicaId,
      waits,
    });
    worker = new TaskWorker({
      store,
      logger,
      // Tasks are claimed under the replica's one id (tasks.claimed_by).
      workerId: instance.replicaId,
      concurrency: config.concurrentTasksLimit,
      pollMs: config.pollMs,
      heartbeatMs: Math.min(1000, (config.taskTimeoutSeconds * 1000) / 3),
      // A task whose holder stops heartbeating is resumed by any replica after this long.
      leaseSeconds: config.taskTimeoutSeconds,
      run: (task, signal) => runner.runTask(task, signal),
    });

    // A pull request an integration's webhook reports closed ends its waits at once, not at the next poll.
    const stopPullRequestEvents = followPullRequestEvents(events, waits, logger);
    // Waiting tasks hold no worker: this job (once per tick across replicas) ends the due ones.
    scheduler.every('scaffolder.waits', { intervalSeconds: config.waitPollSeconds, timeoutSeconds: 120 }, async () => {
      await waits.poll();
    });
    scheduler.every('scaffolder.workspace-blobs', { intervalSeconds: 3600, runOnStart: false }, async () => {
      const n = await collectBlobs(db);
      if (n) logger.info({ removed: n }, 'scaffolder: removed workspace snapshot contents no unfinished task needs');
    });

    const services = { store, registry, catalog: deps.catalog, worker, runner, permissions, audit, db, waits, outcomes };
    // The signed callback authenticates by its signature: a caller without a session is not refused before it is checked.
    mountRoutes({ router, auth: anonymousWhenSignedOut(auth), permissions }, [callbackRoute], services);
    mountRoutes(
      { router, auth, permissions },
      scaffolderRoutes.filter((r) => r !== callbackRoute),
      services,
    );

    // Actions and pull request checkers of other plugins (scaffolderActionsRef) are registered after
    // this setup returns: a resumed task must not find its steps' actions missing, so tasks are
    // claimed once no plugin is still starting (or after a minute, whatever is still starting).
    let stopping = false;
    let removeTemplateCheck: (() => void) | undefined;
    void (async () => {
      const deadline = Date.now() + 60_000;
      while (!stopping && Date.now() < deadline) {
        const plugins = await host.plugins().catch(() => []);
        if (!plugins.some((p) => p.status === 'starting' && p.id !== 'scaffolder')) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      if (!stopping) worker.start();
      // Templates are checked when the catalog reads them, against every action now registered.
      if (!stopping)
        removeTemplateCheck = await registerTemplateCheck(deps.catalog, registry, logger).catch((e: unknown) => {
          logger.error({ err: e }, 'scaffolder: could not add the template check to the catalog');
          return undefined;
        });
    })();
    lifecycle.onShutdown(() => {
      stopping = true;
      stopPullRequestEvents();
      removeTemplateCheck?.();
      return worker.stop();
    });
    return {
      registerAction: (action) => registry.register(action),
      registerPullRequestChecker: (checker) => registry.registerPullRequestChecker(checker),
      createTask: (request, { caller, ...options }) => startTask(services, caller, request as Parameters<typeof startTask>[2], options),
    };
  },
});
