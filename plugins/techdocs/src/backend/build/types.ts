import type { BuildLogEntry, DocsPage, NavNode, PageRef } from '../../common/index.js';
import type { PageSection } from '../render/env.js';

/**
 * Bumped whenever rendering changes in a way that should rebuild every site; it is part of the
 * source hash, so unchanged sources are rebuilt once after an upgrade.
 */
export const BUILDER_VERSION = 'atrium-techdocs-1';

export interface BuildLimits {
  /** Largest Markdown page rendered; bigger pages get an error stub. */
  maxPageBytes: number;
  /** Largest image or download published with a site. */
  maxAssetBytes: number;
  /** Total size of a site's pages and assets. */
  maxSiteBytes: number;
  maxPages: number;
  /** Most files a docs source may list. */
  maxFiles: number;
  /**
   * Time one page may take to render (on the render thread, which is killed when it passes);
   * the page then fails alone with a clear error. `techdocs.builder.pageRenderTimeoutSeconds`.
   */
  pageRenderMs: number;
  /** Largest HTML one page may render to (abbreviations and footnotes can multiply text). */
  maxPageHtmlBytes: number;
}

export const DEFAULT_LIMITS: BuildLimits = {
  maxPageBytes: 2 * 1024 * 1024,
  maxAssetBytes: 10 * 1024 * 1024,
  maxSiteBytes: 200 * 1024 * 1024,
  maxPages: 5000,
  maxFiles: 50_000,
  pageRenderMs: 15_000,
  maxPageHtmlBytes: 32 * 1024 * 1024,
};

export interface BuiltPage extends DocsPage {
  sections: PageSection[];
}

export interface BuiltAsset {
  /** Path relative to docs_dir. */
  path: string;
  content: Buffer;
  contentType: string;
}

export interface BuiltSite {
  siteName: string;
  siteDescription: string | null;
  nav: NavNode[];
  /** Reading order: nav pages first, then the rest. */
  order: PageRef[];
  homeRoute: string;
  pages: BuiltPage[];
  assets: BuiltAsset[];
  revision: string | null;
}

export interface BuildResult {
  outcome: 'built' | 'unchanged' | 'failed';
  sourceHash: string | null;
  site?: BuiltSite;
  log: BuildLogEntry[];
  /** Failed because the source has no docs (no Markdown, no docs folder): not a fault of the build. */
  noDocs?: boolean;
}
