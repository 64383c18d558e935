import { describe, expect, it } from 'vitest';
import { auditQueryParams, EMPTY_AUDIT_FILTERS } from './auditFilters';

describe('auditQueryParams', () => {
  it('sends only the filters that are set, times as ISO', () => {
    const r = auditQueryParams({ ...EMPTY_AUDIT_FILTERS, actor: ' user:default/ann ', outcome: 'denied', from: '2026-01-01T10:00' });
    expect(r).toEqual({ params: { actor: 'user:default/ann', outcome: 'denied', from: new Date('2026-01-01T10:00').toISOString() } });
    expect(auditQueryParams(EMPTY_AUDIT_FILTERS)).toEqual({ params: {} });
  });
  it('refuses a range whose start is not before its end, and a time that does not parse', () => {
    expect(auditQueryParams({ ...EMPTY_AUDIT_FILTERS, from: '2026-02-01T00:00', to: '2026-01-01T00:00' })).toEqual({
      error: 'The start of the time range must be before its end',
    });
    expect(auditQueryParams({ ...EMPTY_AUDIT_FILTERS, to: 'soon' })).toEqual({ error: '"soon" is not a time' });
  });
});
