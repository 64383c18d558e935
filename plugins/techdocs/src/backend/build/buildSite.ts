import { createHash } from 'node:crypto';
import type { EntityTriplet } from '../../common/index.js';
import { fenceLanguages } from '../render/highlighter.js';
import { PageRenderPool, type SiteContext } from '../render/renderPool.js';
import { DocsSourceError, normalizeTreePath, type DocsTree } from '../source/DocsSource.js';
import { formatBytes } from '../source/localTree.js';
import { BuildLog } from './buildLog.js';
import { contentTypeOf } from './contentTypes.js';
import { CONFIG_FILES, locateConfig, parseMkdocsConfig, type MkdocsConfig } from './mkdocsConfig.js';
import { navFromConfig, navFromFiles, readingOrder, type NavPageInfo } from './nav.js';
import { assignRoutes, expandSnippets, isMarkdown, snippetTargets, splitFrontMatter, titleFromPath } from './pages.js';
import { BUILDER_VERSION, DEFAULT_LIMITS, type BuildLimits, type BuildResult, type BuiltAsset, type BuiltPage } from './types.js';

export interface BuildSiteInput {
  tree: DocsTree;
  triplet: EntityTriplet;
  /** Site name when mkdocs.yml has none (the entity's title). */
  entityTitle: string;
  limits?: Partial<BuildLimits>;
  allowedIframeHosts?: readonly string[];
  /** Source hash of the site currently published; equal hashes skip the build unless `force`. */
  previousHash?: string | null;
  force?: boolean;
  signal?: AbortSignal;
  /** The render thread (the builder's own); by default one shared by the process. */
  renderPool?: PageRenderPool;
}

let sharedPool: PageRenderPool | undefined;

/**
 * Builds a docs site from a DocsTree: mkdocs.yml → nav, Markdown → sanitized HTML with TOC and
 * search sections, referenced images and files → assets. Problems in the source become log
 * entries; only a site with nothing to show fails the build.
 */
export async function buildSite(input: BuildSiteInput): Promise<BuildResult> {
  const log = new BuildLog();
  const limits = { ...DEFAULT_LIMITS, ...input.limits };
  const iframeHosts = input.allowedIframeHosts ?? [];
  const { tree } = input;
  const fingerprint = JSON.stringify({ v: BUILDER_VERSION, iframeHosts, limits });
  try {
    log.info(`Reading ${tree.describe()}`);
    // A source with a revision (a git commit) is unchanged when the revision is: no need to read it.
    const revisionHash = tree.revision ? sha256(fingerprint, tree.describe(), tree.revision) : null;
    if (revisionHash && !input.force && input.previousHash === revisionHash) {
      log.info(`Revision ${tree.revision!.slice(0, 12)} was built already; nothing to do`);
      return { outcome: 'unchanged', sourceHash: revisionHash, log: log.toJSON() };
    }
    const { config, text: configText } = await readConfig(tree, input.entityTitle, log);
    const prefix = config.docsDir ? `${config.docsDir}/` : '';
    const allFiles = (await tree.list(config.docsDir)).filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length));
    const mdFiles = allFiles.filter(isMarkdown);
    if (mdFiles.length === 0) {
      throw new DocsSourceError(
        'not-found',
        `No Markdown files in ${config.docsDir || 'the docs root'}${config.file ? ` (docs_dir of ${config.file})` : ' (no mkdocs.yml, so docs/ was expected)'}`,
      );
    }
    if (mdFiles.length > limits.maxPages) {
      throw new DocsSourceError('too-large', `The site has ${mdFiles.length} pages, more than the limit of ${limits.maxPages}`);
    }

    // Read every page (and what their snippets include) up front: the content hash needs it.
    const sources = new SourceReader(tree, limits);
    const texts = new Map<string, string | DocsSourceError>();
    for (const f of mdFiles) texts.set(f, await sources.text(prefix + f, limits.maxPageBytes));
    const snippetFiles = new Map<string, string>();
    for (const text of texts.values()) {
      if (typeof text !== 'string') continue;
      for (const target of snippetTargets(text)) {
        if (snippetFiles.has(target)) continue;
        const content = await readSnippet(sources, target, config.docsDir, limits.maxPageBytes);
        if (content !== undefined) snippetFiles.set(target, content);
      }
    }

    // Without a revision, every file under docs_dir counts: an image changing must rebuild too.
    const otherFiles = new Map<string, Buffer | DocsSourceError>();
    if (!revisionHash) {
      let bytes = 0;
      for (const f of allFiles.filter((x) => !isMarkdown(x))) {
        const b = await sources.buffer(prefix + f, limits.maxAssetBytes);
        if (!(b instanceof DocsSourceError)) bytes += b.length;
        if (bytes > limits.maxSiteBytes) throw new DocsSourceError('too-large', `The docs folder is larger than the ${formatBytes(limits.maxSiteBytes)} limit`);
        otherFiles.set(f, b);
      }
    }
    const sourceHash =
      revisionHash ?? sha256(fingerprint, config.file ?? '', configText ?? '', ...contentDigests(texts, snippetFiles), ...binaryDigests(otherFiles));
    if (!input.force && input.previousHash && sourceHash === input.previousHash) {
      log.info('Sources unchanged since the last build; nothing to do');
      return { outcome: 'unchanged', sourceHash, log: log.toJSON() };
    }

    const routed = assignRoutes(mdFiles, (m, f) => log.warn(m, f && prefix + f));
    const routes = new Map(routed.map((p) => [p.srcPath, p.route]));
    const usedAssets = new Set<string>();

    // Pages render on a thread of their own, each within a time and size budget.
    const pool = input.renderPool ?? (sharedPool ??= new PageRenderPool());
    const site = {
      context: (): SiteContext => {
        const langs = new Set<string>();
        for (const t of texts.values()) if (typeof t === 'string') for (const l of fenceLanguages(t)) langs.add(l);
        return { triplet: input.triplet, files: allFiles, routes: [...routes], langs: [...langs], allowedIframeHosts: [...iframeHosts] };
      },
    };
    const budget = { timeMs: limits.pageRenderMs, maxHtmlBytes: limits.maxPageHtmlBytes };

    const rendered: Array<Omit<BuiltPage, 'prev' | 'next'>> = [];
    for (const { srcPath, route } of routed) {
      input.signal?.throwIfAborted();
      const file = prefix + srcPath;
      const warn = log.forFile(file);
      const text = texts.get(srcPath)!;
      const editUrl = editUrlOf(config, tree, file, srcPath);
      if (typeof text !== 'string') {
        log.error(text.message, file);
        rendered.push(stubPage(srcPath, route, titleFromPath(srcPath), `This page could not be built: ${text.message}`, editUrl));
        continue;
      }
      const { body, title: metaTitle } = splitFrontMatter(text, warn);
      const markdown = expandSnippets(body, (t) => snippetFiles.get(t), warn);
      const outcome = await pool.render(site, srcPath, markdown, budget, input.signal);
      for (const w of outcome.warnings) warn(w);
      if (!outcome.ok) {
        const budgetNote = outcome.reason === 'budget' ? ` (budget: techdocs.builder.pageRenderTimeoutSeconds); simplify the page or split it` : '';
        log.error(`Page not rendered: ${outcome.message}${budgetNote}`, file);
        rendered.push(
          stubPage(srcPath, route, metaTitle ?? titleFromPath(srcPath), `This page could not be rendered: ${outcome.message}. See the build log.`, editUrl),
        );
        continue;
      }
      for (const a of outcome.usedAssets) usedAssets.add(a);
      const page = outcome.page;
      rendered.push({
        route,
        sourcePath: srcPath,
        title: metaTitle ?? page.title ?? titleFromPath(srcPath),
        html: page.html,
        toc: page.toc,
        sections: page.sections,
        hasMermaid: page.hasMermaid,
        editUrl,
      });
    }

    const infos = new Map<string, NavPageInfo>(rendered.map((p) => [p.sourcePath, { srcPath: p.sourcePath, route: p.route, title: p.title }]));
    const navWarn = (m: string) => log.warn(m, config.file ?? undefined);
    const nav = config.nav && config.nav.length > 0 ? navFromConfig(config.nav, infos, navWarn) : navFromFiles([...infos.values()]);
    const { ordered, inNav } = readingOrder(nav, [...infos.values()]);
    const notInNav = ordered.filter((p) => !inNav.has(p.route));
    if (config.nav && notInNav.length > 0) {
      log.info(
        `${notInNav.length} page(s) are not in the nav (reachable by links and search): ${notInNav
          .slice(0, 10)
          .map((p) => p.route || '/')
          .join(', ')}${notInNav.length > 10 ? ', …' : ''}`,
      );
    }
    const navIndex = new Map(ordered.filter((p) => inNav.has(p.route)).map((p, i, all) => [p.route, { prev: all[i - 1] ?? null, next: all[i + 1] ?? null }]));
    const pages: BuiltPage[] = rendered.map((p) => ({ ...p, prev: navIndex.get(p.route)?.prev ?? null, next: navIndex.get(p.route)?.next ?? null }));

    const assets: BuiltAsset[] = [];
    let total = pages.reduce((n, p) => n + p.html.length, 0);
    for (const assetPath of [...usedAssets].sort()) {
      const content = otherFiles.get(assetPath) ?? (await sources.buffer(prefix + assetPath, limits.maxAssetBytes));
      if (content instanceof DocsSourceError) {
        log.warn(`Not published: ${content.message}`, prefix + assetPath);
        continue;
      }
      total += content.length;
      if (total > limits.maxSiteBytes) throw new DocsSourceError('too-large', `The site is larger than the ${formatBytes(limits.maxSiteBytes)} limit`);
      assets.push({ path: assetPath, content, contentType: contentTypeOf(assetPath) });
    }

    const homeRoute = routes.has('index.md') || routes.has('README.md') ? '' : (ordered[0]?.route ?? '');
    log.info(`Built ${pages.length} page(s) and ${assets.length} file(s); ${log.warnings} warning(s), ${log.errors} error(s)`);
    return {
      outcome: 'built',
      sourceHash,
      log: log.toJSON(),
      site: {
        siteName: config.siteName,
        siteDescription: config.siteDescription,
        nav,
        order: ordered,
        homeRoute,
        pages,
        assets,
        revision: tree.revision ?? sourceHash.slice(0, 12),
      },
    };
  } catch (e) {
    if (e instanceof DocsSourceError) log.error(e.message);
    else if ((e as Error).name === 'AbortError') log.error('The build was cancelled (timeout or shutdown)');
    else log.error(`Build failed: ${(e as Error).message}`);
    return { outcome: 'failed', sourceHash: null, log: log.toJSON(), ...(e instanceof DocsSourceError && e.kind === 'not-found' ? { noDocs: true } : {}) };
  }
}

async function readConfig(tree: DocsTree, entityTitle: string, log: BuildLog): Promise<{ config: MkdocsConfig; text: string | undefined }> {
  const present: string[] = [];
  const texts = new Map<string, string>();
  for (const f of CONFIG_FILES) {
    try {
      texts.set(f, (await tree.read(f)).toString('utf8'));
      present.push(f);
    } catch (e) {
      if (e instanceof DocsSourceError && e.kind !== 'not-found') throw e;
    }
  }
  const file = locateConfig(present, (m) => log.warn(m));
  if (!file) log.warn('No mkdocs.yml found; using defaults (docs_dir: docs, site named after the entity)');
  const text = file ? texts.get(file) : undefined;
  const config = parseMkdocsConfig(file, text ?? null, { siteName: entityTitle }, (m) => log.warn(m, file ?? undefined));
  return { config, text };
}

/** Reads files through the tree once each, turning per-file problems into values. */
class SourceReader {
  constructor(
    private readonly tree: DocsTree,
    private readonly limits: BuildLimits,
  ) {}

  async buffer(p: string, maxBytes: number): Promise<Buffer | DocsSourceError> {
    try {
      const b = await this.tree.read(p);
      if (b.length > maxBytes) return new DocsSourceError('too-large', `${p} is ${formatBytes(b.length)}, over the ${formatBytes(maxBytes)} limit`);
      return b;
    } catch (e) {
      if (e instanceof DocsSourceError) return e;
      return new DocsSourceError('read', `Cannot read ${p}: ${(e as Error).message}`);
    }
  }

  async text(p: string, maxBytes: number): Promise<string | DocsSourceError> {
    const b = await this.buffer(p, Math.min(maxBytes, this.limits.maxPageBytes));
    if (b instanceof DocsSourceError) {
      return b.kind === 'too-large' ? new DocsSourceError('too-large', `Page too large to render: ${b.message}`) : b;
    }
    return b.toString('utf8').replace(/^\uFEFF/, '');
  }
}

async function readSnippet(sources: SourceReader, target: string, docsDir: string, maxBytes: number): Promise<string | undefined> {
  let rel: string;
  try {
    rel = normalizeTreePath(target);
  } catch {
    return undefined; // escaping paths are reported as missing snippets
  }
  for (const candidate of [rel, docsDir ? `${docsDir}/${rel}` : rel]) {
    const text = await sources.text(candidate, maxBytes);
    if (typeof text === 'string') return text;
  }
  return undefined;
}

function contentDigests(texts: Map<string, string | DocsSourceError>, snippets: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [f, t] of [...texts].sort(([a], [b]) => a.localeCompare(b))) out.push(`${f}:${typeof t === 'string' ? sha256(t) : `error:${t.message}`}`);
  for (const [f, t] of [...snippets].sort(([a], [b]) => a.localeCompare(b))) out.push(`snippet:${f}:${sha256(t)}`);
  return out;
}

function binaryDigests(files: Map<string, Buffer | DocsSourceError>): string[] {
  return [...files]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([f, b]) => `file:${f}:${b instanceof DocsSourceError ? `error:${b.message}` : createHash('sha256').update(b).digest('hex')}`);
}

function sha256(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
}

function stubPage(srcPath: string, route: string, title: string, message: string, editUrl: string | null): Omit<BuiltPage, 'prev' | 'next'> {
  return {
    route,
    sourcePath: srcPath,
    title,
    html: `<div class="admonition admonition-danger"><p class="admonition-title">Build error</p><p>${message.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)}</p></div>`,
    toc: [],
    sections: [],
    hasMermaid: false,
    editUrl,
  };
}

/**
 * "Edit this page": mkdocs' repo_url + edit_uri when edit_uri is set; else the source host's edit
 * link (right branch and path); else mkdocs' default edit_uri for GitHub/GitLab repo_urls.
 */
function editUrlOf(config: MkdocsConfig, tree: DocsTree, fileInTree: string, srcPath: string): string | null {
  const join = (uri: string) => {
    if (/^https?:\/\//i.test(uri)) return uri.replace(/\/?$/, '/') + srcPath;
    if (config.repoUrl && /^https?:\/\//i.test(config.repoUrl))
      return `${config.repoUrl.replace(/\/+$/, '')}/${uri.replace(/^\/+/, '').replace(/\/?$/, '/')}${srcPath}`;
    return null;
  };
  if (config.editUri !== null) return config.editUri === '' ? null : join(config.editUri);
  const fromTree = tree.editUrl?.(fileInTree);
  if (fromTree && /^https?:\/\//i.test(fromTree)) return fromTree;
  if (config.repoUrl && /^https?:\/\/(github|gitlab)\./i.test(config.repoUrl)) return join(`edit/master/${config.docsDir}/`);
  return null;
}
