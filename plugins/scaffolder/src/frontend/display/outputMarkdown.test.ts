import { describe, expect, it } from 'vitest';
import { renderOutputMarkdown } from './outputMarkdown';
import { safeHref } from './safeHref';

describe('safeHref', () => {
  it('keeps http(s) and relative targets', () => {
    expect(safeHref('https://example.com/x?y=1')).toBe('https://example.com/x?y=1');
    expect(safeHref('HTTP://example.com')).toBe('HTTP://example.com');
    expect(safeHref('/catalog/default/component/x')).toBe('/catalog/default/component/x');
    expect(safeHref('docs/readme')).toBe('docs/readme');
    expect(safeHref('#top')).toBe('#top');
    expect(safeHref('//cdn.example.com/a')).toBe('//cdn.example.com/a');
  });

  it('refuses script, data and other schemes however they are disguised', () => {
    for (const url of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      'java\nscript:alert(1)',
      '\u0001javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'data:image/png;base64,AAAA',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'mailto:x@example.com',
      '\\\\evil.example.com',
      '/\\evil.example.com',
      '',
      undefined,
      42,
    ]) {
      expect(safeHref(url), String(url)).toBeUndefined();
    }
  });
});

describe('renderOutputMarkdown', () => {
  it('renders Markdown: headings, code, lists, links', () => {
    const html = renderOutputMarkdown('## Next\n\nClone it with `git clone x` and:\n\n- run **npm start**\n- see [the docs](https://example.com/docs)\n');
    // Headings sit below the page's and the card's: `##` becomes an h5.
    expect(html).toContain('<h5>Next</h5>');
    expect(html).toContain('<code>git clone x</code>');
    expect(html).toContain('<strong>npm start</strong>');
    expect(html).toContain('<a href="https://example.com/docs" target="_blank" rel="noopener noreferrer">the docs</a>');
  });

  it('keeps relative links in the app (same tab)', () => {
    expect(renderOutputMarkdown('[it](/catalog/default/component/x)')).toContain('<a href="/catalog/default/component/x">it</a>');
  });

  it('renders raw HTML as text and script/data links inert', () => {
    const html = renderOutputMarkdown(
      [
        '<img src=x onerror=alert(1)>',
        '<script>alert(2)</script>',
        '[click](javascript:alert(3))',
        '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg0KTwvc2NyaXB0Pg==)',
        '![img](data:image/svg+xml;base64,PHN2Zy8+)',
        '![png](data:image/png;base64,AAAA)',
        '[vb](vbscript:msgbox(5))',
        '<a href="javascript:alert(6)">a</a>',
        'javascript:alert(7)',
      ].join('\n\n'),
    );
    expect(html).not.toMatch(/<(img|script|a)\b[^>]*(javascript|data|vbscript):/i);
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toMatch(/href="(?!https?:|\/)/);
  });
});
