import path from 'node:path';
import { load } from 'js-yaml';

/** A Markdown file of the site and the reader route it is served at. */
export interface SourcePage {
  /** Path relative to docs_dir, e.g. `about/intro.md`. */
  srcPath: string;
  /** `about/intro`; `''` for the home page; folders' index.md/README.md take the folder's route. */
  route: string;
}

export const MARKDOWN_EXTENSIONS = /\.(md|markdown|mdown|mkdn|mkd)$/i;

export function isMarkdown(p: string): boolean {
  return MARKDOWN_EXTENSIONS.test(p);
}

/**
 * Routes for every Markdown file, the way mkdocs' directory URLs work: `a/b.md` → `a/b`,
 * `a/index.md` → `a`, and `a/README.md` → `a` when the folder has no index.md. Two files
 * claiming one route (`a.md` and `a/index.md`): the second keeps its file name as its route.
 */
export function assignRoutes(mdFiles: readonly string[], warn: (m: string, file?: string) => void): SourcePage[] {
  const files = new Set(mdFiles);
  const byRoute = new Map<string, string>();
  const pages: SourcePage[] = [];
  const sorted = [...mdFiles].sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
  for (const srcPath of sorted) {
    const dir = path.posix.dirname(srcPath);
    const base = path.posix.basename(srcPath).replace(MARKDOWN_EXTENSIONS, '');
    const folderRoute = dir === '.' ? '' : dir;
    let route: string;
    if (base.toLowerCase() === 'index') route = folderRoute;
    else if (base.toLowerCase() === 'readme') {
      const hasIndex = [...files].some((f) => path.posix.dirname(f) === dir && /^index\./i.test(path.posix.basename(f)));
      if (hasIndex)
        warn(`Both index.md and ${path.posix.basename(srcPath)} exist in ${folderRoute || 'the docs root'}; ${srcPath} is served on its own`, srcPath);
      route = hasIndex ? (folderRoute ? `${folderRoute}/${base}` : base) : folderRoute;
    } else route = folderRoute ? `${folderRoute}/${base}` : base;
    const taken = byRoute.get(route);
    if (taken !== undefined) {
      warn(`${srcPath} and ${taken} would have the same address; ${srcPath} is served at /${srcPath}`, srcPath);
      route = srcPath;
    }
    byRoute.set(route, srcPath);
    pages.push({ srcPath, route });
  }
  return pages;
}

function depth(p: string): number {
  return p.split('/').length;
}

/** A page title from its file name, as mkdocs makes one: `getting-started.md` → `Getting started`. */
export function titleFromPath(srcPath: string): string {
  let base = path.posix.basename(srcPath).replace(MARKDOWN_EXTENSIONS, '');
  if (/^(index|readme)$/i.test(base)) {
    const dir = path.posix.dirname(srcPath);
    base = dir === '.' ? 'Home' : path.posix.basename(dir);
  }
  const words = base.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Splits YAML front matter (`---` … `---`) from the body; only `title` is used. */
export function splitFrontMatter(markdown: string, warn: (m: string) => void): { body: string; title?: string } {
  const m = /^---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(markdown);
  if (!m) return { body: markdown };
  const body = markdown.slice(m[0].length);
  try {
    const meta = load(m[1]!);
    if (meta && typeof meta === 'object' && !Array.isArray(meta)) {
      const title = (meta as Record<string, unknown>)['title'];
      if (typeof title === 'string' && title.trim()) return { body, title: title.trim() };
    }
  } catch (e) {
    warn(`Front matter is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  return { body };
}

const SNIPPET_LINE = /^([ \t]*)-{1,}8<-{1,}[ \t]+(["'])([^"'\n]+)\2[ \t]*$/gm;

/** Paths named by pymdownx.snippets lines (`--8<-- "file"`) in a page. */
export function snippetTargets(markdown: string): string[] {
  return [...markdown.matchAll(SNIPPET_LINE)].map((m) => m[3]!.trim());
}

/**
 * Replaces `--8<-- "file"` lines with the named file's text (pymdownx.snippets). `lookup` returns
 * the text, or undefined when the file is missing or refused; those lines become empty.
 */
export function expandSnippets(markdown: string, lookup: (target: string) => string | undefined, warn: (m: string) => void): string {
  return markdown.replace(SNIPPET_LINE, (_line, indent: string, _q: string, target: string) => {
    const text = lookup(target.trim());
    if (text === undefined) {
      warn(`Snippet "${target.trim()}" was not found`);
      return '';
    }
    return text
      .replace(/\r?\n$/, '')
      .split(/\r?\n/)
      .map((l) => indent + l)
      .join('\n');
  });
}
