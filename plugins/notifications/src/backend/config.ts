import type { JsonSchema } from '@atrium/backend-plugin-api';
import { emailConfigSchema, type EmailConfig } from './email.js';

/** JSON Schema of the `notifications:` config section (the host validates it at start). */
export const notificationsConfigSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    /** Outgoing email (SMTP). Absent: email is off and sendEmail rejects with 503. */
    email: emailConfigSchema,
  },
};

export interface NotificationsConfig {
  email?: EmailConfig;
}
