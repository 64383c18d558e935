import type { AuditOutcomeName } from '../common';

/** The audit page's filter form, as typed (datetime-local values for the time range). */
export interface AuditFilterForm {
  actor: string;
  action: string;
  target: string;
  outcome: AuditOutcomeName | '';
  from: string;
  to: string;
}

export const EMPTY_AUDIT_FILTERS: AuditFilterForm = { actor: '', action: '', target: '', outcome: '', from: '', to: '' };

export type AuditQueryParams = Partial<Record<'actor' | 'action' | 'target' | 'outcome' | 'from' | 'to', string>>;

/**
 * The API query for a filter form, or the message to show when the form cannot be sent (a time
 * that does not parse, or a range whose start is not before its end).
 */
export function auditQueryParams(form: AuditFilterForm): { params: AuditQueryParams } | { error: string } {
  const params: AuditQueryParams = {};
  for (const key of ['actor', 'action', 'target', 'outcome'] as const) {
    const v = form[key].trim();
    if (v) params[key] = v;
  }
  for (const key of ['from', 'to'] as const) {
    if (!form[key]) continue;
    const t = new Date(form[key]);
    if (Number.isNaN(t.getTime())) return { error: `"${form[key]}" is not a time` };
    params[key] = t.toISOString();
  }
  if (params.from && params.to && params.from >= params.to) return { error: 'The start of the time range must be before its end' };
  return { params };
}
