import { definePlugin, mountRoutes } from '@atrium/backend-plugin-api';
import type { NotificationsService } from '../common/index.js';
import { notificationsConfigSchema, type NotificationsConfig } from './config.js';
import { EmailSender } from './email.js';
import { notificationsMigrations } from './migrations.js';
import { createNotificationsService, notificationsServiceRef } from './notificationsService.js';
import { notificationsOpenApi } from './openapi.js';
import { notificationsRoutes } from './routes/index.js';
import { NotificationStore } from './store.js';
import { notificationsPermissions } from './permissions.js';

/** One notification store and API for every plugin: producers call the service, people read /api/notifications. */
export const notificationsPlugin = definePlugin<NotificationsConfig, Record<string, never>, NotificationsService>({
  id: 'notifications',
  configSchema: notificationsConfigSchema,
  permissions: notificationsPermissions,
  migrations: notificationsMigrations,
  provides: notificationsServiceRef,
  openapi: notificationsOpenApi,
  routes: notificationsRoutes,
  setup({ router, db, auth, permissions, audit, config, logger, lifecycle }) {
    const email = new EmailSender(config.email, logger);
    lifecycle.onShutdown(() => email.close());
    const service = createNotificationsService(new NotificationStore(db), email);
    mountRoutes({ router, auth, permissions }, notificationsRoutes, { service, permissions, audit });
    return service;
  },
});
