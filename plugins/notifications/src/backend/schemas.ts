import type { JsonSchema } from '@atrium/backend-plugin-api';

/** Query of GET / : one schema for validation and the OpenAPI document. */
export const listQuerySchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    unread: { type: 'boolean', default: false },
    source: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,40}$' },
    entityRef: { type: 'string', minLength: 1, maxLength: 500 },
    recipient: {
      type: 'string',
      minLength: 1,
      maxLength: 500,
      description: "One user or group instead of the caller's own; another's needs notifications.notification.read-others",
    },
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

const channelProperties = {
  inApp: { type: 'boolean', description: 'Shown on the page and counted by the bell' },
  email: { enum: ['off', 'immediate', 'digest'], description: 'digest: low-severity ones wait for the daily digest, the others are sent at once' },
  slack: { type: 'boolean', description: "Posted to the user's Slack incoming webhook" },
} as const;

/** A user's notification preferences (GET and PUT /preferences). */
export const preferencesSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['defaults', 'rules'],
  properties: {
    defaults: { type: 'object', additionalProperties: false, required: ['inApp', 'email', 'slack'], properties: channelProperties },
    rules: {
      type: 'array',
      maxItems: 100,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['source', 'inApp', 'email', 'slack'],
        properties: {
          source: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,40}$' },
          topic: { type: 'string', minLength: 1, maxLength: 200 },
          ...channelProperties,
        },
      },
    },
    slackWebhookUrl: { type: 'string', minLength: 1, maxLength: 2000 },
  },
};

/** POST / : a notification sent over HTTP (scripts, CI, other systems). */
export const sendBodySchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['recipients', 'topic', 'title'],
  properties: {
    recipients: {
      oneOf: [{ const: 'broadcast' }, { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'string', minLength: 1, maxLength: 500 } }],
    },
    source: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,40}$', default: 'api' },
    topic: { type: 'string', minLength: 1, maxLength: 200 },
    title: { type: 'string', minLength: 1, maxLength: 500 },
    description: { type: 'string', maxLength: 10000 },
    link: { type: 'string', maxLength: 2000 },
    severity: { enum: ['low', 'normal', 'high', 'critical'] },
    entityRef: { type: 'string', minLength: 1, maxLength: 500 },
    scope: { type: 'string', minLength: 1, maxLength: 500 },
  },
};
