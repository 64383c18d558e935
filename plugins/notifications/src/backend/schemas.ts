import type { JsonSchema } from '@atrium/backend-plugin-api';

/** Query of GET / : one schema for validation and the OpenAPI document. */
export const listQuerySchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    unread: { type: 'boolean', default: false },
    source: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,40}$' },
    entityRef: { type: 'string', minLength: 1, maxLength: 500 },
    recipient: { type: 'string', minLength: 1, maxLength: 500, description: "One user or group instead of the caller's own; another's needs notifications.notification.read-others" },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    offset: { type: 'integer', minimum: 0, maximum: 100000, default: 0 },
  },
};

export const idParamsSchema: JsonSchema = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', format: 'uuid' } },
};

export const notificationSchema: JsonSchema = {
  type: 'object',
  required: ['id', 'recipient', 'source', 'topic', 'title', 'severity', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    recipient: { type: 'string' },
    source: { type: 'string' },
    topic: { type: 'string' },
    title: { type: 'string' },
    description: { type: 'string' },
    link: { type: 'string' },
    severity: { enum: ['low', 'normal', 'high', 'critical'] },
    entityRef: { type: 'string' },
    scope: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    readAt: { type: 'string', format: 'date-time' },
  },
};
