import { InputError, type AuditQuery, type JsonSchema } from '@atrium/backend-plugin-api';

/** Query string of the audit routes (JSON list and CSV export take the same filters). */
export const auditQuerySchema: JsonSchema = {
  type: 'object',
  properties: {
    actor: { type: 'string', minLength: 1, maxLength: 300, description: 'Exact actor ref, e.g. user:default/guest' },
    action: {
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$',
      description: 'Action or action prefix: catalog.entity matches catalog.entity.delete',
    },
    target: { type: 'string', minLength: 1, maxLength: 1000, description: 'Exact target' },
    from: { type: 'string', format: 'date-time', description: 'Records at or after this time (RFC 3339)' },
    to: { type: 'string', format: 'date-time', description: 'Records before this time (RFC 3339)' },
    outcome: { enum: ['succeeded', 'failed', 'denied'] },
    cursor: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'nextCursor of the previous page' },
    limit: { type: 'integer', minimum: 1, maximum: 500, description: 'Page size (default 50)' },
  },
  additionalProperties: false,
};

export interface AuditQueryParams {
  actor?: string;
  action?: string;
  target?: string;
  from?: string;
  to?: string;
  outcome?: AuditQuery['outcome'];
  cursor?: string;
  limit?: number;
}

/** The store query for validated params; a range whose `from` is not before `to` is a 400. */
export function toAuditQuery(q: AuditQueryParams): AuditQuery {
  const from = q.from === undefined ? undefined : new Date(q.from);
  const to = q.to === undefined ? undefined : new Date(q.to);
  if (from && to && from.getTime() >= to.getTime()) {
    throw new InputError(`Invalid time range: from (${q.from}) must be before to (${q.to})`, [{ field: 'query.from', message: 'must be before query.to' }]);
  }
  return {
    ...(q.actor !== undefined ? { actor: q.actor } : {}),
    ...(q.action !== undefined ? { actionPrefix: q.action } : {}),
    ...(q.target !== undefined ? { target: q.target } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(q.outcome !== undefined ? { outcome: q.outcome } : {}),
    ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
    ...(q.limit !== undefined ? { limit: q.limit } : {}),
  };
}
