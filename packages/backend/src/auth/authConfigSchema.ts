import type { JsonSchema } from '@atrium/backend-plugin-api';

/**
 * The `auth` section: Backstage's shape where Backstage has the key (`auth.environment`,
 * `auth.session.secret`, `auth.providers.<id>`), plus Atrium's session lifetimes, the guest
 * switch and the production escape hatch. Providers other than guest are accepted (a Backstage
 * file carries over) and reported as not supported yet at start.
 */
export const authConfigSchema: JsonSchema = {
  type: 'object',
  properties: {
    environment: { type: 'string' },
    /** Let a production start (NODE_ENV=production) keep guest sign-in on. */
    allowGuestInProduction: { type: 'boolean' },
    session: {
      type: 'object',
      properties: {
        secret: { type: 'string' },
        /** A session unused this many minutes ends (default 1440, a day). */
        idleMinutes: { type: 'integer', minimum: 1, maximum: 525600 },
        /** A session ends this many hours after sign-in however it is used (default 168, a week). */
        maxHours: { type: 'integer', minimum: 1, maximum: 8760 },
      },
      additionalProperties: false,
    },
    providers: {
      type: 'object',
      properties: {
        /** Requests with no session or token are the guest (`user:default/guest`) unless `enabled: false`. */
        guest: {
          type: 'object',
          properties: { enabled: { type: 'boolean' } },
          additionalProperties: false,
        },
      },
      additionalProperties: { type: 'object' },
    },
  },
  additionalProperties: false,
};
