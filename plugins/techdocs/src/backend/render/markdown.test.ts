import { beforeAll, describe, expect, it } from 'vitest';
import { fenceLanguages, prepareHighlighter } from './highlighter.js';
import { MarkdownRenderer, type RenderedPage } from './markdown.js';

const renderer = new MarkdownRenderer();

function render(md: string, allowedIframeHosts: string[] = []): RenderedPage & { warnings: string[] } {
  const warnings: string[] = [];
  const page = renderer.render(md, {
    resolveLink: (href) => (href.startsWith('#') || /^https?:/.test(href) ? { href } : /^[a-z]+:/i.test(href) ? { href: null } : { href: `/resolved/${href}` }),
    resolveImage: (src) => (/^[a-z]+:/i.test(src) ? null : `/img/${src}`),
    allowedIframeHosts,
    warn: (m) => warnings.push(m),
  });
  return { ...page, warnings };
}

beforeAll(async () => {
  renderer.setHighlighter(await prepareHighlighter(['python', 'ts', 'yaml']));
});

describe('markdown rendering', () => {
  it('renders tables, footnotes, abbreviations, definition lists and task lists', () => {
    const { html } = render(
      `| a | b |\n|:--|--:|\n| 1 | 2 |\n\nText[^n].\n\n[^n]: A note.\n\n*[API]: Application Programming Interface\n\nThe API.\n\nTerm\n: Meaning\n\n- [ ] open\n- [x] done\n`,
    );
    expect(html).toContain('<th style="text-align:left">a</th>');
    expect(html).toContain('<td style="text-align:right">2</td>');
    expect(html).toContain('<sup class="footnote-ref"><a id="fnref1" href="#fn1">[1]</a></sup>');
    expect(html).toContain('<section class="footnotes">');
    expect(html).toContain('<abbr title="Application Programming Interface">API</abbr>');
    expect(html).toContain('<dt>Term</dt>');
    expect(html).toContain('<ul class="contains-task-list">');
    expect(html).toContain('<li class="task-list-item"><input type="checkbox" disabled /> open</li>');
    expect(html).toContain('<input type="checkbox" disabled checked /> done');
  });

  it('renders admonitions, collapsible admonitions and content tabs with nested Markdown', () => {
    const { html } = render(
      `!!! warning "Mind the gap"\n    Some **bold** text.\n\n    - a list\n\n??? tip\n    Hidden\n\n???+ note "Open one"\n    Shown\n\n!!! info ""\n    No title\n\n=== "Python"\n\n    \`\`\`python\n    print(1)\n    \`\`\`\n\n=== "TypeScript"\n    Plain *text*\n`,
    );
    expect(html).toContain(
      '<div class="admonition admonition-warning">\n<p class="admonition-title">Mind the gap</p>\n<p>Some <strong>bold</strong> text.</p>\n<ul>\n<li>a list</li>',
    );
    expect(html).toContain('<details class="admonition admonition-tip">\n<summary class="admonition-title">Tip</summary>\n<p>Hidden</p>\n</details>');
    expect(html).toContain('<details class="admonition admonition-note" open>');
    expect(html).toContain('<div class="admonition admonition-info">\n<p>No title</p>');
    expect(html).toContain('<span class="tabbed-label tabbed-label-selected">Python</span>');
    expect(html).toContain('<span class="tabbed-label">TypeScript</span>');
    expect(html).toMatch(/<div class="tabbed-block tabbed-block-selected">\n<div class="code-block"><pre class="shiki/);
    expect(html).toContain('<div class="tabbed-block">\n<p>Plain <em>text</em></p>');
  });

  it('makes mkdocs-style heading anchors, a TOC and search sections', () => {
    const page = render(
      `# The Title\n\nIntro text.\n\n## Getting Started!\n\nStep one.\n\n### Sub-step (a)\n\nDetail.\n\n## Getting Started!\n\n## Custom {#my-id}\n\n## Ünïcödé Straße\n`,
    );
    expect(page.title).toBe('The Title');
    expect(page.toc).toEqual([
      { level: 2, title: 'Getting Started!', anchor: 'getting-started' },
      { level: 3, title: 'Sub-step (a)', anchor: 'sub-step-a' },
      { level: 2, title: 'Getting Started!', anchor: 'getting-started_1' },
      { level: 2, title: 'Custom', anchor: 'my-id' },
      { level: 2, title: 'Ünïcödé Straße', anchor: 'unicode-straße' },
    ]);
    expect(page.html).toContain(
      '<h2 id="getting-started">Getting Started!<a class="headerlink" aria-label="Link to this section" href="#getting-started">#</a></h2>',
    );
    expect(page.sections[0]).toEqual({ anchor: null, heading: null, text: 'Intro text.' });
    expect(page.sections[1]).toEqual({ anchor: 'getting-started', heading: 'Getting Started!', text: 'Step one.' });
  });

  it('highlights fenced code at build time and leaves unknown languages as escaped text', () => {
    const { html } = render('```python title="hello.py"\nprint("<b>")\n```\n\n```nolang\n<script>x</script>\n```\n\n    indented <code>\n');
    expect(html).toContain('<div class="code-title">hello.py</div>');
    expect(html).toContain('<pre class="shiki" tabindex="0"><code><span class="line"><span style="color:var(--shiki-token-function)">print</span>');
    expect(html).toContain('&quot;&lt;b&gt;&quot;'.replace(/&quot;/g, '"'));
    expect(html).toContain('<code class="language-nolang">&lt;script&gt;x&lt;/script&gt;');
    expect(html).toContain('indented &lt;code&gt;');
  });

  it('keeps Mermaid blocks as text for the browser to render', () => {
    const page = render('```mermaid\ngraph TD; A-->B; B-->C["<img src=x onerror=alert(1)>"]\n```\n');
    expect(page.hasMermaid).toBe(true);
    expect(page.html).toContain('<pre class="mermaid">graph TD; A--&gt;B; B--&gt;C["&lt;img src=x onerror=alert(1)&gt;"]');
    expect(render('plain').hasMermaid).toBe(false);
  });

  it('rewrites links and images through the resolver, also in raw HTML', () => {
    const { html } = render('[a](other.md) <a href="raw.md">b</a> ![c](pic.png) <img src="raw.png" alt="d"> [e](#here) [f](https://example.com)');
    expect(html).toContain('<a href="/resolved/other.md">a</a>');
    expect(html).toContain('<a href="/resolved/raw.md">b</a>');
    expect(html).toContain('<img src="/img/pic.png" alt="c" loading="lazy" />');
    expect(html).toContain('<img src="/img/raw.png" alt="d" loading="lazy" />');
    expect(html).toContain('<a href="#here">e</a>');
    expect(html).toContain('<a href="https://example.com">f</a>');
  });

  it('lists the languages fenced code uses', () => {
    expect([...fenceLanguages('```ts\nx\n```\n~~~ Python\n~~~\n  ```{.yaml}\n```\n```\nnone\n```')]).toEqual(['ts', 'python', 'yaml']);
  });
});

describe('sanitizing hostile pages', () => {
  const hostile = [
    '<script>alert(1)</script>',
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">js</a>',
    '<a href="JaVaScRiPt:alert(1)">js2</a>',
    '<a href="&#106;avascript:alert(1)">js3</a>',
    '<a href=" javascript:alert(1)">js4</a>',
    '[md](javascript:alert(1))',
    '[md2](<javascript:alert(1)>)',
    '![img](javascript:alert(1))',
    '<svg onload="alert(1)"><circle/></svg>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<div style="position:fixed;top:0;left:0;width:100%;height:100%">overlay</div>',
    '<form action="https://evil.example"><input type="password" name="p"><button>Go</button></form>',
    '<details open ontoggle="alert(1)"><summary>s</summary></details>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example"><link rel="stylesheet" href="x.css">',
    '<p class="mantine-Overlay-root admonition">classes</p>',
    '<style>body{display:none}</style>',
    '<a href="#" onclick="alert(1)">click</a>',
    '<img src="x" srcset="javascript:alert(1) 1x">',
    '!!! note "<img src=x onerror=alert(1)>"\n    body',
    '=== "<script>alert(1)</script>"\n    tab',
    '## Heading <img src=x onerror=alert(1)>',
    '```\n</code></pre><script>alert(1)</script>\n```',
  ].join('\n\n');

  it('drops scripts, event handlers, javascript: and data: URLs, frames, forms and styles', () => {
    const { html, warnings } = render(hostile);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<(svg|math|iframe|form|object|embed|base|meta|link|style|button)\b/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/href="\s*(javascript|data|vbscript):/i);
    expect(html).not.toMatch(/src="\s*(javascript|data:text)/i);
    expect(html).not.toMatch(/srcset|srcdoc/i);
    expect(html).not.toMatch(/style="(?!text-align)/i);
    expect(html).not.toContain('mantine-Overlay-root');
    expect(html).toContain('<p class="admonition">classes</p>');
    expect(html).toContain('&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;'); // code stays code
    expect(warnings).toEqual(
      expect.arrayContaining([
        'Unsafe HTML: removed a <script> element',
        'Unsafe HTML: removed an event handler attribute (onerror=)',
        'Unsafe HTML: removed a javascript: URL',
        expect.stringMatching(/^Unsafe link removed: javascript:alert\(1\)/),
      ]),
    );
  });

  it('allows iframes only from configured hosts', () => {
    const iframe = '<iframe src="https://www.youtube.com/embed/x" width="600" onload="alert(1)"></iframe>';
    const refused = render(iframe);
    expect(refused.html).not.toContain('<iframe');
    expect(refused.warnings.join('\n')).toContain('Removed an <iframe> from www.youtube.com');
    const allowed = render(iframe, ['youtube.com']);
    expect(allowed.html).toContain('<iframe src="https://www.youtube.com/embed/x" width="600" loading="lazy"></iframe>');
  });
});
