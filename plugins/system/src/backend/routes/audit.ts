import { defineRoute, InputError, type AuditLogService, type AuditPage, type AuditQuery } from '@atrium/backend-plugin-api';
import { AUDIT_LOG_READ_PERMISSION } from '../../common/audit.js';
import { AUDIT_CSV_COLUMNS, auditCsvLine } from './auditCsv.js';
import { auditPageSchema } from './auditSchemas.js';
import { auditQuerySchema, toAuditQuery, type AuditQueryParams } from './auditQuery.js';

export interface AuditRouteServices {
  auditLog: AuditLogService;
}

/** Reading the audit log; the permission the audit routes check. */
export const AUDIT_LOG_READ = AUDIT_LOG_READ_PERMISSION;
/** At most this many rows in one CSV export (narrow the filters for more). */
export const AUDIT_CSV_MAX_ROWS = 100_000;

async function page(auditLog: AuditLogService, query: AuditQuery): Promise<AuditPage> {
  try {
    return await auditLog.query(query);
  } catch (e) {
    if (e instanceof RangeError)
      throw new InputError('Invalid cursor: pass the nextCursor of a previous page', [{ field: 'query.cursor', message: 'is not a cursor this log made' }]);
    throw e;
  }
}

/** GET /audit/events: the audit log, newest first, filtered, with cursor paging. */
export const listAuditEvents = defineRoute<AuditRouteServices, Record<string, string>, AuditQueryParams>({
  method: 'get',
  path: '/audit/events',
  permission: AUDIT_LOG_READ,
  query: auditQuerySchema,
  summary: 'Audit records, newest first, by actor, action prefix, target, time range and outcome; cursor paging',
  response: { description: 'A page of audit records', schema: auditPageSchema },
  handler: ({ query }, { auditLog }) => page(auditLog, toAuditQuery(query)),
});

/** GET /audit/events.csv: the same filters as a CSV download (every page, up to AUDIT_CSV_MAX_ROWS). */
export const exportAuditEvents = defineRoute<AuditRouteServices, Record<string, string>, AuditQueryParams>({
  method: 'get',
  path: '/audit/events.csv',
  permission: AUDIT_LOG_READ,
  query: auditQuerySchema,
  summary: 'Audit records matching the filters as CSV, newest first',
  response: { description: 'CSV with a header row', contentType: 'text/csv', schema: { type: 'string' } },
  handler: async ({ query, res }, { auditLog }) => {
    const base = toAuditQuery({ ...query, limit: 500 });
    let current = await page(auditLog, base);
    res.status(200);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', 'attachment; filename="audit-log.csv"');
    res.write(`${AUDIT_CSV_COLUMNS.join(',')}\r\n`);
    let written = 0;
    for (;;) {
      for (const r of current.items) {
        if (written >= AUDIT_CSV_MAX_ROWS) break;
        res.write(auditCsvLine(r));
        written++;
      }
      if (!current.nextCursor || written >= AUDIT_CSV_MAX_ROWS) break;
      current = await page(auditLog, { ...base, cursor: current.nextCursor });
    }
    res.end();
  },
});

export const auditRoutes = [listAuditEvents, exportAuditEvents];
