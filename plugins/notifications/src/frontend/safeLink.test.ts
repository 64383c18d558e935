import { describe, expect, it } from 'vitest';
import { safeLink } from './safeLink';

describe('safeLink', () => {
  it('keeps app paths and http(s) URLs', () => {
    expect(safeLink('/scorecards/teams/group%3Adefault%2Fteam-a')).toEqual({ href: '/scorecards/teams/group%3Adefault%2Fteam-a', external: false });
    expect(safeLink(' https://example.com/x ')).toEqual({ href: 'https://example.com/x', external: true });
  });
  it('drops other schemes, protocol-relative and backslash forms', () => {
    for (const bad of [
      'javascript:alert(1)',
      'java\nscript:alert(1)',
      ' data:text/html,x',
      '//evil.example',
      '/\\evil.example',
      '\\\\evil',
      'relative/path',
      '',
      undefined,
    ]) {
      expect(safeLink(bad), String(bad)).toBeUndefined();
    }
  });
});
