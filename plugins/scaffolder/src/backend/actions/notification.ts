import type { NotificationSeverity, NotificationsService } from '@atrium/plugin-notifications/backend';
import { createTemplateAction, type TemplateAction } from './types.js';

interface NotificationInput {
  recipients: 'broadcast' | 'entity';
  entityRefs?: string[];
  title: string;
  info?: string;
  link?: string;
  severity?: NotificationSeverity;
  topic?: string;
  scope?: string;
  optional?: boolean;
}

/**
 * Backstage's notification:send, delivered through the notifications plugin (GET /api/notifications).
 * Without that plugin installed, or when sending fails, the step fails unless `optional` is set.
 */
export function createNotificationAction(notifications: NotificationsService | undefined): TemplateAction<NotificationInput> {
  return createTemplateAction<NotificationInput>({
    id: 'notification:send',
    description: 'Sends an in-app notification to entities (users or groups) or to everyone.',
    schema: {
      input: {
        type: 'object',
        required: ['recipients', 'title'],
        properties: {
          recipients: { enum: ['broadcast', 'entity'] },
          entityRefs: { type: 'array', items: { type: 'string' } },
          title: { type: 'string', minLength: 1 },
          info: { type: 'string' },
          link: { type: 'string' },
          severity: { enum: ['low', 'normal', 'high', 'critical'] },
          topic: { type: 'string' },
          scope: { type: 'string' },
          optional: { type: 'boolean' },
        },
      },
    },
    async handler(ctx) {
      const recipients = ctx.input.recipients === 'broadcast' ? 'broadcast' : (ctx.input.entityRefs ?? []);
      if (!recipients.length) throw new Error('notification:send: recipients "entity" needs entityRefs');
      try {
        if (!notifications) throw new Error('the notifications plugin is not installed');
        await notifications.send({
          recipients,
          source: 'scaffolder',
          topic: ctx.input.topic ?? 'scaffolder.notification',
          title: ctx.input.title,
          ...(ctx.input.info ? { description: ctx.input.info } : {}),
          // Without a link of its own, a notification leads to the run that sent it.
          link: ctx.input.link ?? `/create/tasks/${ctx.taskId}`,
          severity: ctx.input.severity ?? 'normal',
          ...(ctx.input.scope ? { scope: ctx.input.scope } : {}),
        });
      } catch (e) {
        if (!ctx.input.optional) throw new Error(`notification:send: ${(e as Error).message}`);
        ctx.logger.warn(`Notification not sent (optional): ${(e as Error).message}`);
        return;
      }
      ctx.logger.info(`Notified ${recipients === 'broadcast' ? 'everyone' : recipients.join(', ')}: ${ctx.input.title}`);
    },
  });
}
