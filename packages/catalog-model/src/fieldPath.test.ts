import { describe, expect, it } from 'vitest';
import { formatFieldPath, joinFieldPath, pointerToSegments } from './fieldPath.js';

describe('field paths', () => {
  it('formats identifiers, indices and other keys', () => {
    expect(formatFieldPath(['spec', 'dependsOn', 2])).toBe('spec.dependsOn[2]');
    expect(formatFieldPath(['metadata', 'annotations', 'backstage.io/techdocs-ref'])).toBe('metadata.annotations["backstage.io/techdocs-ref"]');
    expect(formatFieldPath(['spec', 'output', '2'])).toBe('spec.output["2"]');
    expect(formatFieldPath([])).toBe('');
  });

  it('joins onto a formatted base', () => {
    expect(joinFieldPath('spec', 'a', 0)).toBe('spec.a[0]');
    expect(joinFieldPath('metadata.tags', 3)).toBe('metadata.tags[3]');
    expect(joinFieldPath('', 'x')).toBe('x');
    expect(joinFieldPath('x')).toBe('x');
  });

  it('reads JSON pointers, telling indices from digit keys by the data', () => {
    const data = { a: [{ '0': { 'x/y': 1 } }] };
    expect(pointerToSegments('/a/0/0/x~1y', data)).toEqual(['a', 0, '0', 'x/y']);
    expect(pointerToSegments('', data)).toEqual([]);
  });
});
