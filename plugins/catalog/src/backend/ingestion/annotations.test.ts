import { describe, expect, it } from 'vitest';
import { editUrlOf, locationAnnotations } from './annotations.js';

describe('location annotations', () => {
  it('derives edit URLs for GitHub and GitLab, but not for commit-pinned URLs', () => {
    expect(editUrlOf('https://github.com/acme/svc/blob/main/catalog-info.yaml')).toBe('https://github.com/acme/svc/edit/main/catalog-info.yaml');
    expect(editUrlOf('https://gitlab.com/group/sub/proj/-/blob/main/c.yaml')).toBe('https://gitlab.com/group/sub/proj/-/edit/main/c.yaml');
    expect(editUrlOf(`https://github.com/acme/svc/blob/${'a'.repeat(40)}/c.yaml`)).toBeUndefined();
    expect(editUrlOf('https://raw.githubusercontent.com/acme/svc/main/c.yaml')).toBe('https://github.com/acme/svc/edit/main/c.yaml');
    expect(editUrlOf('https://example.com/c.yaml')).toBeUndefined();
  });

  it('sets view, edit and source links for url locations', () => {
    const url = 'https://github.com/acme/svc/blob/main/sub/catalog-info.yaml';
    expect(locationAnnotations({ type: 'url', url }, 'url:https://example.com/root.yaml')).toEqual({
      forced: {
        'backstage.io/managed-by-location': `url:${url}`,
        'backstage.io/managed-by-origin-location': 'url:https://example.com/root.yaml',
      },
      defaults: {
        'backstage.io/view-url': url,
        'backstage.io/edit-url': 'https://github.com/acme/svc/edit/main/sub/catalog-info.yaml',
        'backstage.io/source-location': 'url:https://github.com/acme/svc/tree/main/sub/',
      },
    });
  });

  it('maps git locations on GitHub to browsable links, and leaves other hosts and files alone', () => {
    const { forced, defaults } = locationAnnotations({ type: 'git', repo: 'https://github.com/acme/svc.git', ref: 'main', path: 'a/c.yaml' }, 'file:/x');
    expect(forced['backstage.io/managed-by-location']).toBe('git:https://github.com/acme/svc.git#main:a/c.yaml');
    expect(defaults['backstage.io/view-url']).toBe('https://github.com/acme/svc/blob/main/a/c.yaml');
    expect(defaults['backstage.io/source-location']).toBe('url:https://github.com/acme/svc/tree/main/a/');
    expect(locationAnnotations({ type: 'git', repo: 'file:///srv/r.git', ref: 'main', path: 'c.yaml' }, 'file:/x').defaults).toEqual({});
    expect(locationAnnotations({ type: 'file', path: '/srv/c.yaml' }, 'file:/x').defaults).toEqual({});
  });
});
