import path from 'node:path';
import { docsAssetPath, docsPagePath, type EntityTriplet } from '../../common/index.js';
import type { ResolvedLink } from '../render/sanitize.js';
import { isMarkdown } from './pages.js';

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/**
 * Rewrites relative links and image paths of a page so they work inside the portal: links to
 * pages go to the reader (`/docs/<ns>/<kind>/<name>/<route>/`), other files to the techdocs
 * static endpoint. Broken targets and paths leaving the docs folder are reported.
 */
export class SiteLinks {
  /** Files (relative to docs_dir) that pages link to or show, to be published with the site. */
  readonly usedAssets = new Set<string>();

  constructor(
    private readonly triplet: EntityTriplet,
    /** Every file under docs_dir, relative to it. */
    private readonly files: ReadonlySet<string>,
    /** Route of each Markdown page by its path relative to docs_dir. */
    private readonly routes: ReadonlyMap<string, string>,
  ) {}

  link(fromPage: string, href: string, warn: (m: string) => void): ResolvedLink {
    const raw = href.trim();
    if (raw === '' || raw.startsWith('#')) return { href: raw };
    if (raw.startsWith('//')) return { href: `https:${raw}`, external: true };
    const scheme = SCHEME.exec(raw)?.[1]?.toLowerCase();
    if (scheme) {
      if (scheme === 'http' || scheme === 'https') return { href: raw, external: true };
      if (scheme === 'mailto' || scheme === 'tel') return { href: raw };
      return { href: null };
    }
    const { file, anchor, escapes } = this.locate(fromPage, raw);
    if (escapes) {
      warn(`Link to ${raw} points outside the docs folder`);
      return { href: null, broken: true };
    }
    if (file && isMarkdown(file)) {
      const route = this.routes.get(file)!;
      return { href: docsPagePath(this.triplet, route, anchor), route, ...(anchor ? { anchor } : {}) };
    }
    if (file) {
      this.usedAssets.add(file);
      return { href: docsAssetPath(this.triplet, file) };
    }
    warn(`Broken link: ${raw} (no such page or file)`);
    return { href: null, broken: true };
  }

  image(fromPage: string, src: string, warn: (m: string) => void): string | null {
    const raw = src.trim();
    const scheme = SCHEME.exec(raw)?.[1]?.toLowerCase();
    if (scheme === 'http' || scheme === 'https') return raw;
    if (scheme === 'data') return /^data:image\/(png|jpe?g|gif|webp|svg\+xml);/i.test(raw) ? raw : null;
    if (scheme || raw.startsWith('//')) {
      warn(`Image ${raw.slice(0, 80)} uses an unsupported URL; removed`);
      return null;
    }
    const { file, escapes } = this.locate(fromPage, raw);
    if (escapes) {
      warn(`Image path ${raw} points outside the docs folder; removed`);
      return null;
    }
    if (!file || isMarkdown(file)) {
      warn(`Missing image: ${raw}`);
      return null;
    }
    this.usedAssets.add(file);
    return docsAssetPath(this.triplet, file);
  }

  /** Finds the file a relative URL names, trying mkdocs' URL forms (`page/`, `page.html`). */
  private locate(fromPage: string, raw: string): { file?: string; anchor?: string; escapes?: boolean } {
    const hashAt = raw.indexOf('#');
    const anchor = hashAt >= 0 ? safeDecode(raw.slice(hashAt + 1)) : undefined;
    let target = (hashAt >= 0 ? raw.slice(0, hashAt) : raw).replace(/\?.*$/, '');
    target = safeDecode(target);
    if (target === '') return { file: fromPage, ...(anchor ? { anchor } : {}) };
    const base = target.startsWith('/') ? '' : path.posix.dirname(fromPage);
    const joined = path.posix.normalize(path.posix.join(base === '.' ? '' : base, target.replace(/^\/+/, '')));
    if (joined === '..' || joined.startsWith('../')) return { escapes: true };
    const clean = joined.replace(/^\.\/?/, '').replace(/\/+$/, '');
    const candidates = [clean];
    if (target.endsWith('/') || clean === '') candidates.push(`${clean}/index.md`, `${clean}/README.md`, `${clean}.md`);
    else if (/\.html?$/i.test(clean)) candidates.push(clean.replace(/\.html?$/i, '.md'), clean.replace(/(\/?)(index)?\.html?$/i, '$1index.md'));
    else if (!/\.[^/]+$/.test(clean)) candidates.push(`${clean}.md`, `${clean}/index.md`, `${clean}/README.md`);
    for (const c of candidates) {
      const f = c.replace(/^\/+/, '');
      if (this.files.has(f) && (!isMarkdown(f) || this.routes.has(f))) return { file: f, ...(anchor ? { anchor } : {}) };
    }
    return anchor ? { anchor } : {};
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
