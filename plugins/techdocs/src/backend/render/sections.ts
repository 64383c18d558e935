import type { MarkdownIt, StateCore } from 'markdown-it';
import type { PageSection, RenderEnv } from './env.js';
import { inlineText } from './headings.js';

const MAX_SECTION_CHARS = 20_000;

/** Drops `<script>` and `<style>` elements (an unclosed one runs to the end), in one forward pass. */
export function dropRawTextElements(html: string): string {
  const lower = html.toLowerCase();
  let out = '';
  let from = 0;
  for (;;) {
    const script = lower.indexOf('<script', from);
    const style = lower.indexOf('<style', from);
    const at = script === -1 ? style : style === -1 ? script : Math.min(script, style);
    if (at === -1) return out + html.slice(from);
    const tag = at === script ? 'script' : 'style';
    out += `${html.slice(from, at)} `;
    const close = lower.indexOf(`</${tag}`, at);
    if (close === -1) return out;
    const end = lower.indexOf('>', close);
    if (end === -1) return out;
    from = end + 1;
  }
}

/**
 * Strips tags and decodes the few entities raw HTML blocks commonly carry. Linear: a tag cannot
 * contain `<` (with `[^>]*` every unclosed `<` scanned to the end of the block, quadratic).
 */
export function htmlToText(html: string): string {
  return dropRawTextElements(html)
    .replace(/<[^<>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/**
 * Core rule (after heading ids): splits the page into sections at h2–h6 headings and collects
 * their plain text, which the search index stores as one row per section.
 */
function sectionsRule(state: StateCore): void {
  const env = state.env as unknown as RenderEnv;
  let current: PageSection = { anchor: null, heading: null, text: '' };
  const parts: string[] = [];
  const flush = () => {
    current.text = parts.join(' ').replace(/\s+/g, ' ').trim().slice(0, MAX_SECTION_CHARS);
    if (current.text || current.heading) env.sections.push(current);
    parts.length = 0;
  };
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'heading_open') {
      const inline = tokens[i + 1];
      const text = inline ? inlineText(inline).trim() : '';
      if (t.tag === 'h1') {
        i++;
        continue;
      }
      flush();
      current = { anchor: String(t.attrGet('id') ?? '') || null, heading: text, text: '' };
      i++;
    } else if (t.type === 'inline') {
      parts.push(inlineText(t));
    } else if (t.type === 'fence' || t.type === 'code_block') {
      parts.push(t.content);
    } else if (t.type === 'html_block') {
      parts.push(htmlToText(t.content));
    }
  }
  flush();
}

export function sectionsPlugin(md: MarkdownIt): void {
  md.core.ruler.push('atrium_sections', sectionsRule);
}
