import { createHash } from 'node:crypto';
import { bundledLanguages, createHighlighter, type BundledLanguage, type Highlighter } from 'shiki';
import { createOnigurumaEngine } from 'shiki/engine/oniguruma';

/**
 * Syntax highlighting with shiki at build time. Output carries both a light and a dark theme as
 * CSS variables (`--shiki-light`, `--shiki-dark`), so the reader switches with the colour
 * scheme and the browser runs no highlighter.
 */
export const LIGHT_THEME = 'github-light';
export const DARK_THEME = 'github-dark';

const CACHE_LIMIT = 4000;
// Rebuilds mostly re-highlight the same blocks; keyed by language and code.
const cache = new Map<string, string>();
let highlighter: Promise<Highlighter> | undefined;

function getHighlighter(): Promise<Highlighter> {
  highlighter ??= createHighlighter({
    themes: [LIGHT_THEME, DARK_THEME],
    langs: [],
    engine: createOnigurumaEngine(import('shiki/wasm')),
  });
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
  const html = h.codeToHtml(code, { lang, themes: { light: LIGHT_THEME, dark: DARK_THEME }, defaultColor: false });
  cache.set(key, html);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  return html;
}
