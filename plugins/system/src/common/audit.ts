/** One audit record as `GET /api/system/audit/events` returns it. */
export interface AuditEventRow {
  id: string;
  /** ISO timestamp. */
  time: string;
  actor: string;
  actorType: string;
  action: string;
  target: string | null;
  outcome: AuditOutcomeName;
  requestId: string | null;
  clientAddress: string | null;
  diff: unknown;
  meta: Record<string, unknown> | null;
  prevHash: string;
  hash: string;
}
export type AuditOutcomeName = 'succeeded' | 'failed' | 'denied';
export interface AuditEventsPage {
  items: AuditEventRow[];
  nextCursor?: string;
}
/** The permission the audit routes check. */
export const AUDIT_LOG_READ_PERMISSION = 'audit.log.read';
