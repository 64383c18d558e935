import { describe, expect, it } from 'vitest';
import * as annotations from './annotations.js';
import { isValidAnnotationKey } from './formats.js';

describe('well-known annotations', () => {
  it('are all valid annotation keys', () => {
    const keys = Object.entries(annotations).filter(([name]) => name.startsWith('ANNOTATION_'));
    expect(keys.length).toBeGreaterThan(15);
    for (const [name, key] of keys) expect(isValidAnnotationKey(key), name).toBe(true);
  });

  it('keep Backstage names', () => {
    expect(annotations.ANNOTATION_LOCATION).toBe('backstage.io/managed-by-location');
    expect(annotations.ANNOTATION_ORIGIN_LOCATION).toBe('backstage.io/managed-by-origin-location');
    expect(annotations.ANNOTATION_TECHDOCS_REF).toBe('backstage.io/techdocs-ref');
    expect(annotations.ANNOTATION_GITHUB_PROJECT_SLUG).toBe('github.com/project-slug');
  });
});
