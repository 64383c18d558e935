import { definePlugin, mountRoutes } from '@atrium/backend-plugin-api';
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
import { scaffolderPermissions } from './permissions.js';

/**
 * Runs Backstage v1beta3 software templates: tasks in Postgres claimed by any replica,
 * built-in actions plus those plugins register, live logs, dry runs, approvals.
 */
export const scaffolderPlugin = definePlugin<ScaffolderConfig, { catalog: typeof catalogServiceRef }, ScaffolderActionsService, { notifications: typeof notificationsServiceRef }>({
  id: 'scaffolder',
  permissions: scaffolderPermissions,
  configSchema: scaffolderConfigSchema,
  migrations: scaffolderMigrations,
  deps: { catalog: catalogServiceRef },
  // notification:send delivers through the notifications plugin when it is installed.
  optionalDeps: { notifications: notificationsServiceRef },
  provides: scaffolderActionsRef,
  openapi: scaffolderOpenApi,
  routes: scaffolderRoutes,
  async setup({ router, db, config, configBaseDir, logger, scheduler, auth, permissions, audit, lifecycle, host, instance, deps, optionalDeps }) {
    const paths = scaffolderPaths(host.dataDir);
    const box = await SecretBox.create(db, config.secretsKey);
    const store = new TaskStore(db, box, config.logs);
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

    const runner = new TaskRunner({
      store,
      registry,
      catalog: deps.catalog,
      config: { ...config, readers: { ...config.readers, fileRoots: readerFileRoots(config, configBaseDir('scaffolder.readers.fileRoots')) } },
      logger,
      paths,
    });
    const worker = new TaskWorker({
      store,
      logger,
      // Tasks are claimed under the replica's one id (tasks.claimed_by).
      workerId: instance.replicaId,
      concurrency: config.concurrentTasksLimit,
      pollMs: config.pollMs,
      heartbeatMs: 1000,
      run: (task, signal) => runner.runTask(task, signal),
    });

    // Restart handling: tasks left in processing by a stopped replica are marked failed (not resumed).
    const failed = await store.failStaleTasks(config.taskTimeoutSeconds);
    if (failed.length) logger.warn({ tasks: failed }, 'scaffolder: marked interrupted tasks as failed');
    scheduler.every('scaffolder.stale-tasks', { intervalSeconds: Math.max(5, Math.floor(config.taskTimeoutSeconds / 2)) }, async () => {
      const ids = await store.failStaleTasks(config.taskTimeoutSeconds);
      if (ids.length) logger.warn({ tasks: ids }, 'scaffolder: marked interrupted tasks as failed');
    });

    mountRoutes({ router, auth, permissions }, scaffolderRoutes, { store, registry, catalog: deps.catalog, worker, runner, permissions, audit });

    worker.start();
    lifecycle.onShutdown(() => worker.stop());
    return { registerAction: (action) => registry.register(action) };
  },
});
