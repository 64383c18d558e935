import { defineRoute, NotAllowedError } from '@atrium/backend-plugin-api';
import type { NotificationPreferences } from '../../common/index.js';
import { NOTIFICATION_PERMISSIONS } from '../permissions.js';
import { preferencesSchema } from '../schemas.js';
import { readerOf, type NotificationRouteServices } from './services.js';

const GUEST = 'user:default/guest';

/** GET /preferences : the caller's preferences (the defaults until saved). */
export const getPreferences = defineRoute<NotificationRouteServices>({
  method: 'get',
  path: '/preferences',
  permission: NOTIFICATION_PERMISSIONS.read,
  summary: "The caller's notification preferences: per source or topic, in-app, email (off, immediate, digest) and Slack",
  response: { description: 'Preferences', schema: { $ref: '#/components/schemas/NotificationPreferences' } },
  handler: async ({ caller }, { service }) => service.getPreferences(readerOf(caller)),
});

/**
 * PUT /preferences : replaces the caller's preferences. A Slack webhook URL goes through the
 * shared outbound guard (https, public hosts; a private or loopback address is a 400). The guest
 * is one identity shared by every visitor, so it may not set a Slack URL (403).
 */
export const putPreferences = defineRoute<NotificationRouteServices, Record<string, string>, Record<string, never>, NotificationPreferences>({
  method: 'put',
  path: '/preferences',
  body: preferencesSchema,
  permission: NOTIFICATION_PERMISSIONS.update,
  summary: "Replace the caller's notification preferences",
  response: { description: 'The saved preferences', schema: { $ref: '#/components/schemas/NotificationPreferences' } },
  responses: {
    '400': { description: 'Invalid preferences, or a Slack URL the outbound guard refuses' },
    '403': { description: 'The guest may not set a Slack webhook' },
  },
  handler: async ({ body, caller }, { service, audit }) => {
    const user = readerOf(caller);
    if (body.slackWebhookUrl && (caller.type === 'guest' || user === GUEST)) {
      throw new NotAllowedError('Sign in to send notifications to Slack: the guest is shared by every visitor');
    }
    const before = await service.getPreferences(user);
    const saved = await service.setPreferences(user, body);
    const redact = (p: NotificationPreferences) => ({ ...p, ...(p.slackWebhookUrl ? { slackWebhookUrl: 'set' } : {}) });
    await audit.record({ actor: caller, action: 'notifications.preferences.update', target: user, before: redact(before), after: redact(saved) });
    return saved;
  },
});
