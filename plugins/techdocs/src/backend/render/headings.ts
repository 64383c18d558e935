import type { MarkdownIt, StateCore, Token } from 'markdown-it';
import type { RenderEnv } from './env.js';
import { escapeHtml } from './env.js';

/**
 * Heading anchors the way Python-Markdown's toc extension makes them (lower case, punctuation
 * dropped, spaces to dashes, `_1` suffixes for repeats), so links written for mkdocs sites
 * (`page.md#some-heading`) keep working. Letters outside ASCII are kept rather than dropped.
 */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\p{L}\p{N}_\s-]/gu, '')
    .trim()
    .toLowerCase()
    .replace(/[-\s]+/g, '-');
  return slug || 'section';
}

export function uniqueId(env: RenderEnv, base: string): string {
  const seen = env.usedIds.get(base);
  if (seen === undefined) {
    env.usedIds.set(base, 0);
    return base;
  }
  let n = seen + 1;
  while (env.usedIds.has(`${base}_${n}`)) n++;
  env.usedIds.set(base, n);
  env.usedIds.set(`${base}_${n}`, 0);
  return `${base}_${n}`;
}

/** Plain text of an inline token (what a heading or paragraph says, without markup). */
export function inlineText(token: Token): string {
  if (!token.children) return token.content;
  let out = '';
  for (const child of token.children) {
    if (child.type === 'text' || child.type === 'code_inline') out += child.content;
    else if (child.type === 'softbreak' || child.type === 'hardbreak') out += ' ';
    else if (child.type === 'image') out += child.content;
  }
  return out;
}

// `## Title {#custom-id}` or `## Title {: #custom-id .class }` (Python-Markdown attr_list),
// matched on the text from the last `{` only: an unanchored pattern with a leading `\s*` took
// time quadratic in a run of spaces (a 150 kB heading of spaces blocked the build for a minute).
const ATTR_ID = /^\{:?\s*#([\w-]+)[^}]*\}\s*$/;

/** Splits a trailing `{#id}` attribute list off a heading's text. */
export function splitHeadingId(text: string): { text: string; id: string } | undefined {
  const open = text.lastIndexOf('{');
  if (open === -1) return undefined;
  const m = ATTR_ID.exec(text.slice(open));
  return m ? { text: text.slice(0, open).trimEnd(), id: m[1]! } : undefined;
}

/** Core rule: ids on headings, the TOC, and the page title from the first h1. */
function headingsRule(state: StateCore): void {
  const env = state.env as unknown as RenderEnv;
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const open = tokens[i]!;
    if (open.type !== 'heading_open') continue;
    const inline = tokens[i + 1];
    if (!inline || inline.type !== 'inline') continue;
    let customId: string | undefined;
    const last = inline.children?.[inline.children.length - 1];
    if (last && last.type === 'text') {
      const split = splitHeadingId(last.content);
      if (split) {
        customId = split.id;
        last.content = split.text;
      }
    }
    const text = inlineText(inline).trim();
    const level = Number(open.tag.slice(1));
    const id = uniqueId(env, customId ?? slugify(text));
    open.attrSet('id', id);
    const close = tokens[i + 2];
    if (close && close.type === 'heading_close') close.meta = { anchor: id, level };
    if (level === 1 && env.title === undefined) env.title = text;
    else env.toc.push({ level, title: text, anchor: id });
  }
}

export function headingsPlugin(md: MarkdownIt): void {
  md.core.ruler.push('atrium_headings', headingsRule);
  md.renderer.rules['heading_close'] = (tokens, idx) => {
    const token = tokens[idx]!;
    const meta = token.meta as { anchor: string; level: number } | null;
    const link = meta && meta.level > 1 ? `<a class="headerlink" href="#${escapeHtml(meta.anchor)}" aria-label="Link to this section">#</a>` : '';
    return `${link}</${token.tag}>\n`;
  };
}
