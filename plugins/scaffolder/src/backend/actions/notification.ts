import type { TaskStore } from '../tasks/taskStore.js';
import { createTemplateAction, type TemplateAction } from './types.js';

interface NotificationInput {
  recipients: 'broadcast' | 'entity';
  entityRefs?: string[];
  title: string;
  info?: string;
  link?: string;
  severity?: 'low' | 'normal' | 'high' | 'critical';
  topic?: string;
}

/** Backstage's notification:send, delivered in-app (GET /api/scaffolder/v2/notifications). */
export function createNotificationAction(store: TaskStore): TemplateAction<NotificationInput> {
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
      const recipients = ctx.input.recipients === 'broadcast' ? ['broadcast'] : (ctx.input.entityRefs ?? []);
      if (!recipients.length) throw new Error('notification:send: recipients "entity" needs entityRefs');
      await store.addNotification({
        recipients,
        title: ctx.input.title,
        ...(ctx.input.info ? { description: ctx.input.info } : {}),
        ...(ctx.input.link ? { link: ctx.input.link } : {}),
        severity: ctx.input.severity ?? 'normal',
        ...(ctx.input.topic ? { topic: ctx.input.topic } : {}),
        taskId: ctx.taskId,
      });
      ctx.logger.info(`Notified ${recipients.join(', ')}: ${ctx.input.title}`);
    },
  });
}
