import { describe, expect, it } from 'vitest';
import type { TokenInfo } from '../auth/authApi';
import { sortTokens, tokenState, validateNewToken } from './tokenStatus';
import { describeUserAgent } from './userAgent';

const now = new Date('2026-06-01T00:00:00Z');
const t = (name: string, over: Partial<TokenInfo> = {}): TokenInfo => ({
  id: name,
  name,
  kind: 'personal',
  ownerRef: 'user:default/a',
  createdBy: 'user:default/a',
  scopes: ['read'],
  createdAt: '2026-05-01T00:00:00Z',
  expiresAt: '2026-07-01T00:00:00Z',
  lastUsedAt: null,
  revokedAt: null,
  ...over,
});

describe('tokenState and sortTokens', () => {
  it('tells active, expired and revoked apart, working ones first', () => {
    const tokens = [
      t('expired', { expiresAt: '2026-05-31T00:00:00Z' }),
      t('later', { expiresAt: '2026-12-01T00:00:00Z' }),
      t('revoked', { revokedAt: '2026-05-02T00:00:00Z' }),
      t('soon'),
    ];
    expect(tokens.map((x) => tokenState(x, now))).toEqual(['expired', 'active', 'revoked', 'active']);
    expect(
      sortTokens(tokens, now)
        .map((x) => x.name)
        .slice(0, 2),
    ).toEqual(['soon', 'later']);
  });
});

describe('validateNewToken', () => {
  it('needs a name and valid scopes', () => {
    expect(validateNewToken({ name: 'ci', scopes: ['read', 'catalog.entity.delete'] })).toEqual({});
    expect(validateNewToken({ name: ' ', scopes: [] })).toEqual({ name: expect.stringContaining('name'), scopes: 'Choose at least one scope.' });
    expect(validateNewToken({ name: 'x', scopes: ['Delete everything'] }).scopes).toContain('Not a scope: Delete everything');
  });
});

describe('describeUserAgent', () => {
  it('names the browser and system', () => {
    expect(describeUserAgent('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Gecko/20100101 Firefox/130.0')).toBe('Firefox on macOS');
    expect(describeUserAgent('Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/130 Safari/537.36 Edg/130')).toBe('Edge on Windows');
    expect(describeUserAgent('curl/8.5.0')).toBe('curl');
    expect(describeUserAgent(null)).toBe('Unknown device');
  });
});
