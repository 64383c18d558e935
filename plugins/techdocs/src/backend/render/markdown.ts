import { randomBytes } from 'node:crypto';
import MarkdownIt, { type MarkdownIt as MarkdownItInstance } from 'markdown-it';
import abbr from 'markdown-it-abbr';
import deflist from 'markdown-it-deflist';
import footnote from 'markdown-it-footnote';
import type { Highlighter } from 'shiki';
import { indentedBlocksPlugin } from './blocks.js';
import { codeBlocksPlugin, restoreCodeBlocks } from './codeBlocks.js';
import { createRenderEnv, type PageSection } from './env.js';
import { headingsPlugin } from './headings.js';
import { sanitizePage, type SanitizeOptions } from './sanitize.js';
import { sectionsPlugin } from './sections.js';
import { taskListsPlugin } from './taskLists.js';
import type { TocEntry } from '../../common/index.js';

export interface RenderedPage {
  /** The first h1's text, if any. */
  title?: string;
  html: string;
  toc: TocEntry[];
  sections: PageSection[];
  hasMermaid: boolean;
}

export type PageRenderOptions = Omit<SanitizeOptions, 'warn'> & { warn(message: string): void };

/**
 * Markdown → sanitized HTML for one page, with the extensions mkdocs sites commonly use:
 * tables, footnotes, abbreviations, definition lists, admonitions, content tabs, task lists,
 * heading anchors and TOC, shiki-highlighted code and Mermaid blocks.
 */
export class MarkdownRenderer {
  private readonly md: MarkdownItInstance;
  private highlighter: Highlighter | undefined;
  private currentWarn: ((message: string) => void) | undefined;

  constructor() {
    const md = new MarkdownIt({ html: true, linkify: true, typographer: false });
    md.use(footnote).use(abbr).use(deflist).use(indentedBlocksPlugin).use(taskListsPlugin).use(headingsPlugin).use(sectionsPlugin);
    codeBlocksPlugin(md, () => this.highlighter);
    const validateLink = md.validateLink.bind(md);
    md.validateLink = (url: string) => {
      const ok = validateLink(url);
      if (!ok) this.currentWarn?.(`Unsafe link removed: ${url.slice(0, 80)}`);
      return ok;
    };
    this.md = md;
  }

  /** Highlighted code needs the languages loaded first (see prepareHighlighter). */
  setHighlighter(h: Highlighter | undefined): void {
    this.highlighter = h;
  }

  render(markdown: string, options: PageRenderOptions): RenderedPage {
    const env = createRenderEnv(randomBytes(6).toString('hex'), options.warn);
    this.currentWarn = options.warn;
    let raw: string;
    try {
      raw = this.md.render(markdown, env as unknown as Record<string, unknown>);
    } finally {
      this.currentWarn = undefined;
    }
    const clean = sanitizePage(raw, options);
    return {
      ...(env.title !== undefined ? { title: env.title } : {}),
      html: restoreCodeBlocks(clean, env),
      toc: env.toc,
      sections: env.sections,
      hasMermaid: env.hasMermaid,
    };
  }
}
