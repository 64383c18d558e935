import { createHash } from 'node:crypto';
import { bundledLanguages, createCssVariablesTheme, createHighlighter, type BundledLanguage, type Highlighter } from 'shiki';
import { createOnigurumaEngine } from 'shiki/engine/oniguruma';

/**
 * Syntax highlighting with shiki at build time, with shiki's CSS-variables theme: token colours
 * are `var(--shiki-token-…)`, and the reader's stylesheet defines them for the light and the dark
 * scheme, so one tokenization serves both and the browser runs no highlighter. The HTML is
 * written here from the tokens (about four times faster than shiki's HAST → HTML path).
 */
const THEME = 'atrium-docs';
const theme = createCssVariablesTheme({ name: THEME, variablePrefix: '--shiki-', fontStyle: true });

const CACHE_LIMIT = 4000;
// Rebuilds mostly re-highlight the same blocks; keyed by language and code.
const cache = new Map<string, string>();
let highlighter: Promise<Highlighter> | undefined;

function getHighlighter(): Promise<Highlighter> {
  highlighter ??= createHighlighter({ themes: [theme], langs: [], engine: createOnigurumaEngine(import('shiki/wasm')) });
  return highlighter;
}

export function isKnownLanguage(lang: string): lang is BundledLanguage {
  return Object.prototype.hasOwnProperty.call(bundledLanguages, lang);
}

/** Fence languages in Markdown sources (```lang, ~~~ lang, ``` { .lang }). */
export function fenceLanguages(markdown: string): Set<string> {
  const langs = new Set<string>();
  for (const m of markdown.matchAll(/^[ \t]*(?:`{3,}|~{3,})[ \t]*\{?[ \t]*\.?([\w+#.-]+)/gm)) langs.add(m[1]!.toLowerCase());
  return langs;
}

/** Prepares the highlighter and loads the known languages among `langs` (once per process). */
export async function prepareHighlighter(langs: Iterable<string>): Promise<Highlighter> {
  const h = await getHighlighter();
  const loaded = new Set(h.getLoadedLanguages());
  const wanted = [...langs].filter((l) => isKnownLanguage(l) && !loaded.has(l)) as BundledLanguage[];
  if (wanted.length > 0) await h.loadLanguage(...wanted);
  return h;
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
// Colours come from the theme (`var(--shiki-…)` or `#rrggbb`); anything else is dropped.
const SAFE_COLOR = /^(var\(--shiki-[a-z-]+(, ?#[0-9a-fA-F]{3,8})?\)|#[0-9a-fA-F]{3,8})$/;

/** Highlighted `<pre class="shiki">…` HTML, or undefined when the language is not loaded. */
export function highlightSync(h: Highlighter, code: string, lang: string): string | undefined {
  if (!isKnownLanguage(lang) || !h.getLoadedLanguages().includes(lang)) return undefined;
  const key = createHash('sha1').update(lang).update('\0').update(code).digest('base64');
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const lines = h.codeToTokensBase(code.replace(/\n$/, ''), { lang, theme: theme });
  let html = `<pre class="shiki" tabindex="0"><code>`;
  lines.forEach((line, i) => {
    if (i > 0) html += '\n';
    html += '<span class="line">';
    for (const token of line) {
      const styles: string[] = [];
      if (token.color && SAFE_COLOR.test(token.color)) styles.push(`color:${token.color}`);
      const fs = token.fontStyle ?? 0;
      if (fs & 1) styles.push('font-style:italic');
      if (fs & 2) styles.push('font-weight:bold');
      if (fs & 4) styles.push('text-decoration:underline');
      const text = escapeText(token.content);
      html += styles.length > 0 ? `<span style="${styles.join(';')}">${text}</span>` : text;
    }
    html += '</span>';
  });
  html += '</code></pre>';
  cache.set(key, html);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  return html;
}
