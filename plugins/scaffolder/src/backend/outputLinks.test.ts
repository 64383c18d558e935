import { describe, expect, it } from 'vitest';
import { isSafeLinkUrl, safeOutputLinks } from './outputLinks.js';

describe('output links', () => {
  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox',
    'blob:http://x/y',
  ])('refuses %j', (url) => {
    expect(isSafeLinkUrl(url)).toBe(false);
  });

  it.each([
    'https://git.example.com/a',
    'http://localhost:7007/catalog',
    '/catalog/default/component/x',
    'docs/index',
    'file:///srv/repos/x.git',
    'mailto:team@example.com',
    'ssh://git@host/x.git',
  ])('keeps %j', (url) => {
    expect(isSafeLinkUrl(url)).toBe(true);
  });

  it('drops only the url of an unsafe link', () => {
    expect(
      safeOutputLinks([
        { title: 'Evil', url: 'javascript:alert(1)' },
        { title: 'Repo', url: 'https://x' },
        { title: 'Catalog', entityRef: 'component:default/x' },
      ]),
    ).toEqual([{ title: 'Evil' }, { title: 'Repo', url: 'https://x' }, { title: 'Catalog', entityRef: 'component:default/x' }]);
  });
});
