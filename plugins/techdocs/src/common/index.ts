export type {
  NavNode,
  NavPage,
  NavLink,
  NavSection,
  TocEntry,
  PageRef,
  DocsPage,
  DocsSite,
  BuildStatus,
  BuildLogLevel,
  BuildLogEntry,
  DocsBuildInfo,
  DocsEntitySummary,
  DocsEntityList,
  DocsEntityDetail,
  DocsOwnerList,
  BuildRequestResponse,
  DocsSearchResult,
  DocsSearchResponse,
} from './types.js';
export { docsAssetPath, docsPagePath, normalizeRoute, tripletPath, type EntityTriplet } from './routes.js';

/** Annotations TechDocs reads (Backstage's names). */
export const TECHDOCS_REF_ANNOTATION = 'backstage.io/techdocs-ref';
export const TECHDOCS_ENTITY_ANNOTATION = 'backstage.io/techdocs-entity';
export { techdocsBuildFinished, techdocsSitePublished, type DocsBuildFinishedEvent, type DocsSitePublishedEvent } from './events.js';
