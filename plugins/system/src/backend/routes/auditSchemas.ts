import type { JsonSchema } from '@atrium/backend-plugin-api';

const nullableString = { type: ['string', 'null'] };

/** Reply of GET /api/system/audit/events (documentation only). */
export const auditPageSchema: JsonSchema = {
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'time', 'actor', 'actorType', 'action', 'target', 'outcome', 'prevHash', 'hash'],
        properties: {
          id: { type: 'string' },
          time: { type: 'string', format: 'date-time' },
          actor: { type: 'string' },
          actorType: { type: 'string' },
          action: { type: 'string' },
          target: nullableString,
          outcome: { enum: ['succeeded', 'failed', 'denied'] },
          requestId: nullableString,
          clientAddress: nullableString,
          diff: { description: 'Changed fields (small objects) or sha256 digests of before and after' },
          meta: { type: ['object', 'null'] },
          prevHash: { type: 'string' },
          hash: { type: 'string' },
        },
      },
    },
    nextCursor: { type: 'string', description: 'Pass as cursor for the next (older) page' },
  },
};
