import type { EntityTriplet } from '../../common/index.js';
import type { RenderedPage } from './markdown.js';

/** What the render worker needs to resolve one site's links and highlight its code. */
export interface SiteContext {
  triplet: EntityTriplet;
  /** Every file under docs_dir, relative to it. */
  files: string[];
  /** [page path relative to docs_dir, reader route]. */
  routes: Array<[string, string]>;
  /** Fence languages used anywhere in the site (loaded into the highlighter up front). */
  langs: string[];
  allowedIframeHosts: string[];
}

export type RenderRequest =
  { type: 'site'; id: number; site: SiteContext } | { type: 'page'; id: number; srcPath: string; markdown: string; maxHtmlBytes: number };

export type RenderResponse =
  | { type: 'site'; id: number; error?: string }
  | {
      type: 'page';
      id: number;
      page?: RenderedPage;
      error?: string;
      /** Problems found while rendering (broken links, removed HTML...). */
      warnings: string[];
      /** Files of the site the page links to or shows. */
      usedAssets: string[];
    };
