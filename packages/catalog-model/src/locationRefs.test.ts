import { describe, expect, it } from 'vitest';
import { parseLocationRef, stringifyLocationRef } from './locationRefs.js';

describe('location refs', () => {
  it('splits on the first colon only', () => {
    expect(parseLocationRef('url:https://example.com/catalog-info.yaml')).toEqual({
      type: 'url',
      target: 'https://example.com/catalog-info.yaml',
    });
    expect(parseLocationRef('file:/repo/a:b.yaml')).toEqual({ type: 'file', target: '/repo/a:b.yaml' });
    expect(stringifyLocationRef({ type: 'bootstrap', target: 'bootstrap' })).toBe('bootstrap:bootstrap');
  });

  it('explains malformed refs', () => {
    expect(() => parseLocationRef('https://example.com/x.yaml')).toThrow(
      'Location ref "https://example.com/x.yaml" has no type; prefix it with "url:", e.g. "url:https://example.com/x.yaml"',
    );
    expect(() => parseLocationRef('nocolon')).toThrow(/is malformed; expected <type>:<target>/);
    expect(() => parseLocationRef('url:')).toThrow(/is malformed/);
    expect(() => parseLocationRef(':x')).toThrow(/is malformed/);
    expect(() => stringifyLocationRef({ type: 'url', target: '' })).toThrow(/needs a type and a target/);
  });
});
