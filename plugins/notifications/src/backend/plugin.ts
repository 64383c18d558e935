import { definePlugin, mountRoutes } from '@atrium/backend-plugin-api';
import { catalogServiceRef } from '@atrium/plugin-catalog/backend';
import type { NotificationPreferences, NotificationsService } from '../common/index.js';
import { notificationsConfigSchema, type NotificationsConfig } from './config.js';
import { Deliverer } from './deliveries.js';
import { EmailSender } from './email.js';
import { notificationsMigrations } from './migrations.js';
import { createNotificationsService, notificationsServiceRef, parsePreferences } from './notificationsService.js';
import { notificationsOpenApi } from './openapi.js';
import { notificationsPermissions } from './permissions.js';
import { notificationsRoutes } from './routes/index.js';
import { StreamRegistry } from './routes/stream.js';
import { NotificationStore } from './store.js';

/** One notification store and API for every plugin: producers call the service, people read /api/notifications. */
export const notificationsPlugin = definePlugin<NotificationsConfig, Record<string, never>, NotificationsService, { catalog: typeof catalogServiceRef }>({
  id: 'notifications',
  configSchema: notificationsConfigSchema,
  permissions: notificationsPermissions,
  migrations: notificationsMigrations,
  provides: notificationsServiceRef,
  // Email addresses (spec.profile.email) and group members come from the catalog when it is installed.
  optionalDeps: { catalog: catalogServiceRef },
  openapi: notificationsOpenApi,
  routes: notificationsRoutes,
  setup({ router, db, auth, permissions, audit, config, logger, lifecycle, events, scheduler, instance, baseUrl, optionalDeps }) {
    const email = new EmailSender(config.email, logger);
    const store = new NotificationStore(db);
    const deliverer = new Deliverer({
      store,
      email,
      slack: config.slack,
      settings: { staleSeconds: config.deliveries.staleSeconds, maxAttempts: config.deliveries.maxAttempts },
      catalog: () => optionalDeps.catalog,
      // Only users with some email or Slack choice matter for deliveries.
      preferencesOf: async (users) => {
        const out = new Map<string, NotificationPreferences>();
        for (const [user, stored] of await store.preferencesMany(users)) {
          const p = parsePreferences(stored);
          if (p.defaults.email !== 'off' || p.defaults.slack || p.rules.some((r) => r.email !== 'off' || r.slack)) out.set(user, p);
        }
        return out;
      },
      replicaId: instance.replicaId,
      baseUrl,
      logger,
    });
    const service = createNotificationsService({ store, email, deliverer, events, slack: config.slack, logger });
    // Failed sends and claims left by a replica that died, tried again; digests once per interval (once across replicas).
    scheduler.every('notifications.deliveries', { intervalSeconds: config.deliveries.retryIntervalSeconds, runOnStart: false }, () => deliverer.sendPending());
    scheduler.every('notifications.digest', { intervalSeconds: config.digest.intervalSeconds, runOnStart: false }, async () => {
      const sent = await deliverer.sendDigests();
      if (sent) logger.info({ sent }, 'notifications: digests sent');
    });
    const streams = new StreamRegistry({
      service,
      events,
      auth,
      logger,
      heartbeatMs: config.stream.heartbeatSeconds * 1000,
      resyncMs: config.stream.resyncSeconds * 1000,
      maxStreams: config.stream.maxStreams,
    });
    lifecycle.onShutdown(() => {
      streams.closeAll();
      email.close();
    });
    mountRoutes({ router, auth, permissions }, notificationsRoutes, { service, permissions, audit, streams });
    return service;
  },
});
