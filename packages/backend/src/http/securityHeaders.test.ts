import { describe, expect, it } from 'vitest';
import { cspDirectives, defaultCspDirectives } from './securityHeaders.js';

describe('cspDirectives (backend.csp overrides)', () => {
  const base = new URL('http://localhost:7007');

  it('is the default policy without overrides', () => {
    expect(cspDirectives(base)).toEqual(defaultCspDirectives(false));
    expect(Object.keys(cspDirectives(new URL('https://portal.example.com')))).toContain('upgrade-insecure-requests');
  });

  it('replaces a directive in place, drops one set to false, and adds a new one at the end', () => {
    const result = cspDirectives(base, { 'img-src': ["'self'"], 'object-src': false, 'media-src': ['https://media.example.com'] });
    const defaults = Object.keys(defaultCspDirectives(false));
    expect(Object.keys(result)).toEqual([...defaults.filter((name) => name !== 'object-src'), 'media-src']);
    expect(result['img-src']).toEqual(["'self'"]);
    expect(result['media-src']).toEqual(['https://media.example.com']);
    expect(result['default-src']).toEqual(["'self'"]);
  });
});
