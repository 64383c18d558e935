import { describe, expect, it } from 'vitest';
import { entityRoutePath, humanizeEntityRef } from './entityRoute';

describe('entityRoutePath', () => {
  it('builds /catalog/:namespace/:kind/:name with a lower-cased kind', () => {
    expect(entityRoutePath('Component:default/orders-service')).toBe('/catalog/default/component/orders-service');
    expect(entityRoutePath({ kind: 'API', namespace: 'payments', name: 'Billing.v2' })).toBe('/catalog/payments/api/Billing.v2');
  });

  it('fills a missing kind and namespace from the context', () => {
    expect(entityRoutePath('platform-team', { defaultKind: 'group' })).toBe('/catalog/default/group/platform-team');
    expect(entityRoutePath('ops/platform-team', { defaultKind: 'group' })).toBe('/catalog/ops/group/platform-team');
  });

  it('returns undefined for refs that do not parse', () => {
    expect(entityRoutePath('platform-team')).toBeUndefined();
    expect(entityRoutePath('')).toBeUndefined();
  });
});

describe('humanizeEntityRef', () => {
  it('leaves out the expected kind and the default namespace', () => {
    expect(humanizeEntityRef('group:default/platform-team', { defaultKind: 'Group' })).toBe('platform-team');
    expect(humanizeEntityRef('group:default/platform-team')).toBe('group:platform-team');
    expect(humanizeEntityRef('group:ops/platform-team', { defaultKind: 'group' })).toBe('ops/platform-team');
  });

  it('shows an unparsable ref as written', () => {
    expect(humanizeEntityRef('not a ref')).toBe('not a ref');
  });
});
