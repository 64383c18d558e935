import type { TocEntry } from '../../common/index.js';

/** One searchable part of a page: the text under a heading, up to the next heading. */
export interface PageSection {
  /** Heading id, or null for the part before the first sub-heading. */
  anchor: string | null;
  heading: string | null;
  text: string;
}

/**
 * Per-page state the markdown-it rules read and fill while rendering one page
 * (markdown-it's `env`). One renderer instance serves every page of every build.
 */
export interface RenderEnv {
  /** The first h1's text, when the page has one. */
  title?: string;
  toc: TocEntry[];
  sections: PageSection[];
  hasMermaid: boolean;
  /** Ids handed out on this page, for unique heading anchors. */
  usedIds: Map<string, number>;
  /** Highlighted code blocks, inserted after sanitizing (placeholders stand in for them). */
  codeBlocks: string[];
  /** Random per page, so page text cannot forge a code placeholder. */
  nonce: string;
  warn(message: string): void;
}

export function createRenderEnv(nonce: string, warn: (message: string) => void): RenderEnv {
  return { toc: [], sections: [], hasMermaid: false, usedIds: new Map(), codeBlocks: [], nonce, warn };
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
