import type { NotificationsService } from '@atrium/plugin-notifications/backend';
import { catalogActions } from './catalog.js';
import { debugActions } from './debug.js';
import { fetchActions } from './fetch.js';
import { fsActions } from './fs.js';
import { createHttpRequestAction } from './http.js';
import { createNotificationAction } from './notification.js';
import { createPublishGitAction, type PublishGitSettings } from './publishGit.js';
import { ActionRegistry } from './registry.js';
import { saasActions } from './saas.js';

/** A registry holding every built-in action. */
export function createBuiltinRegistry(options: {
  notifications?: NotificationsService | undefined;
  publish: PublishGitSettings;
  httpAllowPrivateNetworks: boolean;
}): ActionRegistry {
  const registry = new ActionRegistry();
  for (const action of [...fetchActions, ...fsActions, ...debugActions, ...catalogActions]) registry.register(action);
  for (const action of saasActions) registry.register(action, { placeholder: true });
  registry.register(createPublishGitAction(options.publish));
  registry.register(createHttpRequestAction({ allowPrivateNetworks: options.httpAllowPrivateNetworks, maxResponseBytes: 5 * 1024 * 1024 }));
  registry.register(createNotificationAction(options.notifications));
  return registry;
}
