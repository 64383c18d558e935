import path from 'node:path';
import type { NavNode, PageRef } from '../../common/index.js';
import type { RawNavItem } from './mkdocsConfig.js';
import { MARKDOWN_EXTENSIONS, titleFromPath } from './pages.js';

export interface NavPageInfo {
  srcPath: string;
  route: string;
  title: string;
}

const EXTERNAL = /^([a-z][a-z0-9+.-]*:|\/\/)/i;

/**
 * The site's nav from mkdocs' `nav:`. Targets are matched to pages; a target that names no file
 * is reported, and when exactly one page has the same name with another extension (a typo such
 * as `extensions.ms`) that page is used, so the entry still leads somewhere.
 */
export function navFromConfig(raw: RawNavItem[], pages: ReadonlyMap<string, NavPageInfo>, warn: (m: string) => void): NavNode[] {
  const convert = (items: RawNavItem[]): NavNode[] => {
    const out: NavNode[] = [];
    for (const item of items) {
      if (item.kind === 'section') {
        const children = convert(item.children);
        if (children.length > 0) out.push({ type: 'section', title: item.title, children });
        else warn(`nav section "${item.title}" has no reachable entries; left out`);
        continue;
      }
      if (EXTERNAL.test(item.target)) {
        if (!/^(https?:|mailto:|\/\/)/i.test(item.target)) {
          warn(`nav entry "${item.title ?? item.target}" links to an unsupported URL scheme; left out`);
          continue;
        }
        out.push({ type: 'link', title: item.title ?? item.target, url: item.target.startsWith('//') ? `https:${item.target}` : item.target });
        continue;
      }
      const page = findNavTarget(item.target, pages);
      const label = item.title ? `"${item.title}"` : JSON.stringify(item.target);
      if (!page) {
        warn(`nav entry ${label} points to ${item.target}, which does not exist in the docs folder; left out`);
        continue;
      }
      if (page.srcPath !== normalizeTarget(item.target)) {
        warn(`nav entry ${label} points to ${item.target}, which does not exist; using ${page.srcPath} instead`);
      }
      out.push({ type: 'page', title: item.title ?? page.title, route: page.route });
    }
    return out;
  };
  return convert(raw);
}

function normalizeTarget(target: string): string {
  return path.posix.normalize(target.replace(/^\.?\/+/, '').replace(/#.*$/, '')).replace(/^\.\/?$/, '');
}

function findNavTarget(target: string, pages: ReadonlyMap<string, NavPageInfo>): NavPageInfo | undefined {
  const t = normalizeTarget(target);
  if (t.startsWith('..')) return undefined;
  const direct = pages.get(t);
  if (direct) return direct;
  const dir = t.replace(/\/+$/, '');
  for (const candidate of [`${dir}/index.md`, `${dir}/README.md`, `${dir}.md`, dir === '' ? 'index.md' : '']) {
    const hit = candidate && pages.get(candidate);
    if (hit) return hit;
  }
  // A typo in the extension: same path, different extension, exactly one match.
  const stem = t.replace(/\.[^./]*$/, '');
  const sameStem = [...pages.values()].filter((p) => p.srcPath.replace(MARKDOWN_EXTENSIONS, '') === stem);
  return sameStem.length === 1 ? sameStem[0] : undefined;
}

/**
 * A nav built from the files when mkdocs.yml has none: the folder's index first, then pages and
 * sub-folders (as sections) by name.
 */
export function navFromFiles(pages: readonly NavPageInfo[]): NavNode[] {
  interface Folder {
    pages: NavPageInfo[];
    folders: Map<string, Folder>;
  }
  const root: Folder = { pages: [], folders: new Map() };
  for (const page of pages) {
    const parts = page.srcPath.split('/');
    let folder = root;
    for (const part of parts.slice(0, -1)) {
      let next = folder.folders.get(part);
      if (!next) {
        next = { pages: [], folders: new Map() };
        folder.folders.set(part, next);
      }
      folder = next;
    }
    folder.pages.push(page);
  }
  const isIndex = (p: NavPageInfo) => /^(index|readme)\./i.test(path.posix.basename(p.srcPath));
  const build = (folder: Folder): NavNode[] => {
    const entries: Array<{ key: string; node: NavNode }> = [];
    for (const p of folder.pages) {
      if (isIndex(p)) continue;
      entries.push({ key: path.posix.basename(p.srcPath).toLowerCase(), node: { type: 'page', title: p.title, route: p.route } });
    }
    for (const [name, sub] of folder.folders) {
      const children = build(sub);
      if (children.length > 0) entries.push({ key: name.toLowerCase(), node: { type: 'section', title: titleFromPath(`${name}.md`), children } });
    }
    entries.sort((a, b) => a.key.localeCompare(b.key));
    const index = folder.pages
      .filter(isIndex)
      .sort((a, b) => (/^index/i.test(path.posix.basename(a.srcPath)) ? -1 : 1) - (/^index/i.test(path.posix.basename(b.srcPath)) ? -1 : 1))[0];
    return [...(index ? [{ type: 'page', title: index.title, route: index.route } as NavNode] : []), ...entries.map((e) => e.node)];
  };
  return build(root);
}

/** Pages in reading order: the nav's pages first (each once), then pages outside the nav by path. */
export function readingOrder(nav: readonly NavNode[], pages: readonly NavPageInfo[]): { ordered: PageRef[]; inNav: Set<string> } {
  const inNav = new Set<string>();
  const ordered: PageRef[] = [];
  const walk = (nodes: readonly NavNode[]) => {
    for (const n of nodes) {
      if (n.type === 'page' && !inNav.has(n.route)) {
        inNav.add(n.route);
        ordered.push({ route: n.route, title: n.title });
      } else if (n.type === 'section') walk(n.children);
    }
  };
  walk(nav);
  const rest = pages.filter((p) => !inNav.has(p.route)).sort((a, b) => a.srcPath.localeCompare(b.srcPath));
  return { ordered: [...ordered, ...rest.map((p) => ({ route: p.route, title: p.title }))], inNav };
}
