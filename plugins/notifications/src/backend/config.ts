import type { JsonSchema } from '@atrium/backend-plugin-api';
import { emailConfigSchema, type EmailConfig } from './email.js';
import type { SlackSettings } from './slack.js';

/** JSON Schema of the `notifications:` config section (the host validates it at start). */
export const notificationsConfigSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    /** Outgoing email (SMTP). Absent: email is off and sendEmail rejects with 503. */
    email: emailConfigSchema,
    /** Where users' Slack incoming webhooks may point (the shared outbound guard applies). */
    slack: {
      type: 'object',
      default: {},
      additionalProperties: false,
      properties: {
        allowPrivateNetworks: { type: 'boolean', default: false },
        allowedHosts: { type: 'array', items: { type: 'string', minLength: 1 } },
        timeoutMs: { type: 'integer', minimum: 100, maximum: 60000, default: 5000 },
      },
    },
    digest: {
      type: 'object',
      default: {},
      additionalProperties: false,
      properties: {
        /** How often the digest job sends what it collected (default daily). */
        intervalSeconds: { type: 'integer', minimum: 60, default: 86400 },
      },
    },
    deliveries: {
      type: 'object',
      default: {},
      additionalProperties: false,
      properties: {
        /** How often email and Slack deliveries that failed (or whose replica died) are tried again. */
        retryIntervalSeconds: { type: 'integer', minimum: 1, default: 60 },
        maxAttempts: { type: 'integer', minimum: 1, maximum: 50, default: 5 },
        /** A delivery claimed this long ago and not finished is taken again. */
        staleSeconds: { type: 'integer', minimum: 10, default: 300 },
      },
    },
    stream: {
      type: 'object',
      default: {},
      additionalProperties: false,
      properties: {
        /** Comment line that keeps proxies from closing an idle stream; the caller and the count are checked again each time. */
        heartbeatSeconds: { type: 'number', minimum: 0.1, maximum: 300, default: 15 },
        /** The count is also recounted this often (at a heartbeat), in case a change event was missed. */
        resyncSeconds: { type: 'number', minimum: 1, default: 60 },
        /** Open streams per replica; more are refused with 503. */
        maxStreams: { type: 'integer', minimum: 1, default: 2000 },
      },
    },
  },
};

export interface NotificationsConfig {
  email?: EmailConfig;
  slack: SlackSettings;
  digest: { intervalSeconds: number };
  deliveries: { retryIntervalSeconds: number; maxAttempts: number; staleSeconds: number };
  stream: { heartbeatSeconds: number; resyncSeconds: number; maxStreams: number };
}
