import type { MarkdownIt } from 'markdown-it';
import type { Highlighter } from 'shiki';
import { escapeHtml, type RenderEnv } from './env.js';
import { highlightSync } from './highlighter.js';

/** The text that stands for highlighted block `index` until it is put back after sanitizing. */
export function codePlaceholder(nonce: string, index: number): string {
  return `ATRIUMCODE${nonce}X${index}X`;
}

/** Puts the highlighted blocks back in place of their placeholders. */
export function restoreCodeBlocks(html: string, env: RenderEnv): string {
  if (env.codeBlocks.length === 0) return html;
  return html.replace(new RegExp(`ATRIUMCODE${env.nonce}X(\\d+)X`, 'g'), (_, n: string) => env.codeBlocks[Number(n)] ?? '');
}

/**
 * Fenced code: Mermaid diagrams become `<pre class="mermaid">` (rendered in the browser);
 * known languages are highlighted with shiki and kept out of the sanitizer (shiki escapes the
 * code itself, and its inline colour styles must survive); the rest is escaped plain code.
 * A pymdownx `title="file.py"` in the info string becomes a caption.
 */
export function codeBlocksPlugin(md: MarkdownIt, getHighlighter: () => Highlighter | undefined): void {
  md.renderer.rules['fence'] = (tokens, idx, _options, rawEnv) => {
    const env = rawEnv as unknown as RenderEnv;
    const token = tokens[idx]!;
    const info = token.info.trim();
    const lang = (/^\{?\s*\.?([\w+#.-]+)/.exec(info)?.[1] ?? '').toLowerCase();
    if (lang === 'mermaid') {
      env.hasMermaid = true;
      return `<pre class="mermaid">${escapeHtml(token.content)}</pre>\n`;
    }
    const title = /title="([^"]*)"/.exec(info)?.[1];
    const caption = title ? `<div class="code-title">${escapeHtml(title)}</div>` : '';
    const h = getHighlighter();
    const highlighted = h && lang ? highlightSync(h, token.content, lang) : undefined;
    if (highlighted !== undefined) {
      env.codeBlocks.push(highlighted);
      return `<div class="code-block">${caption}${codePlaceholder(env.nonce, env.codeBlocks.length - 1)}</div>\n`;
    }
    const cls = lang ? ` class="language-${escapeHtml(lang.replace(/[^\w-]/g, ''))}"` : '';
    return `<div class="code-block">${caption}<pre><code${cls}>${escapeHtml(token.content)}</code></pre></div>\n`;
  };
  md.renderer.rules['code_block'] = (tokens, idx) => `<div class="code-block"><pre><code>${escapeHtml(tokens[idx]!.content)}</code></pre></div>\n`;
}
