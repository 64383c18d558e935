/**
 * Types shared by the TechDocs backend, its UI and other plugins: the shapes served by
 * /api/techdocs. A built site is a set of pages (HTML rendered and sanitized at build time),
 * a nav tree, and per-page tables of contents.
 */

/** A node of the site's navigation: a page, a link outside the site, or a section. */
export type NavNode = NavPage | NavLink | NavSection;

export interface NavPage {
  type: 'page';
  title: string;
  /** Reader route of the page, e.g. `about/intro` (`''` for the home page). */
  route: string;
}
export interface NavLink {
  type: 'link';
  title: string;
  url: string;
}
export interface NavSection {
  type: 'section';
  title: string;
  children: NavNode[];
}

export interface TocEntry {
  /** Heading level, 2–6 (the page title h1 is not in the TOC). */
  level: number;
  title: string;
  anchor: string;
}

export interface PageRef {
  route: string;
  title: string;
}

/** Response of `GET /sites/:namespace/:kind/:name/pages/<route>`. */
export interface DocsPage {
  route: string;
  /** Markdown source path, relative to docs_dir. */
  sourcePath: string;
  title: string;
  /** Sanitized HTML of the page body. */
  html: string;
  toc: TocEntry[];
  prev: PageRef | null;
  next: PageRef | null;
  /** "Edit this page" link in the source host, when one can be derived. */
  editUrl: string | null;
  /** Whether the page renders Mermaid diagrams (the reader loads Mermaid only then). */
  hasMermaid: boolean;
}

/** Response of `GET /sites/:namespace/:kind/:name`: everything the reader's frame needs. */
export interface DocsSite {
  entityRef: string;
  siteName: string;
  siteDescription: string | null;
  nav: NavNode[];
  /** Every page of the site in nav order (pages outside the nav last). */
  pages: PageRef[];
  /** Route of the home page, usually `''`. */
  homeRoute: string;
  builtAt: string;
  /** Commit or content hash the site was built from. */
  revision: string | null;
  etag: string;
}

export type BuildStatus = 'not-built' | 'queued' | 'building' | 'ready' | 'failed';

export type BuildLogLevel = 'info' | 'warning' | 'error';

export interface BuildLogEntry {
  level: BuildLogLevel;
  message: string;
  /** Source path (relative to the docs root) the entry is about, when it is about one. */
  file?: string;
}

/** Build facts of one documented entity. */
export interface DocsBuildInfo {
  status: BuildStatus;
  /** Outcome of the last finished build: `built`, `unchanged` (source hash matched), `failed`. */
  lastResult: 'built' | 'unchanged' | 'failed' | null;
  /** ISO time the served site was published, or null when there is none. */
  builtAt: string | null;
  lastBuildStartedAt: string | null;
  lastBuildFinishedAt: string | null;
  lastBuildDurationMs: number | null;
  warningCount: number;
  errorCount: number;
}

/** One entity with docs, as the docs home lists it. */
export interface DocsEntitySummary {
  entityRef: string;
  namespace: string;
  kind: string;
  name: string;
  title: string;
  description: string | null;
  owner: string | null;
  type: string | null;
  lifecycle: string | null;
  siteName: string | null;
  build: DocsBuildInfo;
}

/** Response of `GET /entities`. */
export interface DocsEntityList {
  items: DocsEntitySummary[];
  totalItems: number;
  pageInfo: { nextCursor?: string };
}

/** Response of `GET /entities/:namespace/:kind/:name`: summary plus the last build's log. */
export interface DocsEntityDetail extends DocsEntitySummary {
  techdocsRef: string | null;
  log: BuildLogEntry[];
}

/** Response of `GET /owners`: owners that have documented entities, for the home filter. */
export interface DocsOwnerList {
  items: Array<{ owner: string; count: number }>;
}

/** Response of `POST /builds/:namespace/:kind/:name`. */
export interface BuildRequestResponse {
  entityRef: string;
  status: BuildStatus;
}

/** One hit of `GET /search`: a section of a page. */
export interface DocsSearchResult {
  entityRef: string;
  entityTitle: string;
  siteName: string | null;
  route: string;
  pageTitle: string;
  /** Heading anchor of the section, or null for the top of the page. */
  anchor: string | null;
  heading: string | null;
  /** HTML: the text around the matches, escaped, with matches in `<mark>`. */
  snippet: string;
  /** Portal path, e.g. `/docs/default/component/orders/runbook#rollback`. */
  location: string;
  rank: number;
}

export interface DocsSearchResponse {
  results: DocsSearchResult[];
  pageInfo: { nextCursor?: string };
}
