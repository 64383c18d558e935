/**
 * Ingestion: read a location (file, URL or git) and turn its descriptor files into
 * validated entities. No database access here; the catalog store calls readLocation()
 * and decides what to keep.
 */
export type {
  CatalogRule,
  ChildLocationSpec,
  IngestedEntity,
  IngestionError,
  IngestionErrorKind,
  IngestionOptions,
  LocationReadResult,
  LocationSpec,
} from './types.js';
export { readLocation } from './readLocation.js';
export { formatGitTarget, locationRefOf, parseGitTarget, type GitTarget } from './locations.js';
