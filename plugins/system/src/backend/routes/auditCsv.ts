import type { AuditRecord } from '@atrium/backend-plugin-api';

export const AUDIT_CSV_COLUMNS = [
  'id',
  'time',
  'actor',
  'actorType',
  'action',
  'target',
  'outcome',
  'requestId',
  'clientAddress',
  'diff',
  'meta',
  'hash',
] as const;

/**
 * One CSV field: quoted when it holds a comma, quote or line break; a leading `=`, `+`, `-`, `@`,
 * tab or carriage return gets a `'` so a spreadsheet does not run it as a formula.
 */
export function csvField(value: unknown): string {
  let s = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function auditCsvLine(r: AuditRecord): string {
  return `${AUDIT_CSV_COLUMNS.map((c) => csvField(r[c])).join(',')}\r\n`;
}
