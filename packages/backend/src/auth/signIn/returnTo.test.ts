import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './returnTo.js';

describe('safeReturnTo', () => {
  it('keeps paths on this origin, with query and hash', () => {
    expect(safeReturnTo('/catalog?kind=component#top')).toBe('/catalog?kind=component#top');
    expect(safeReturnTo('/')).toBe('/');
  });

  it('turns everything that could leave the origin into /', () => {
    for (const bad of [
      'https://elsewhere.example',
      '//elsewhere.example',
      '/\\elsewhere.example',
      '/\t/elsewhere.example',
      'javascript:alert(1)',
      'catalog',
      '',
      undefined,
      ['/a'],
      '/'.padEnd(3000, 'a'),
    ]) {
      expect(safeReturnTo(bad)).toBe('/');
    }
  });
});
