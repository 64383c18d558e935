import type { Entity, EntityStatusItem, GeneratedRelation } from '@atrium/catalog-model';
import type { LocationError } from '../../common/index.js';
import type { IngestionError } from '../ingestion/index.js';

/** One entity a location tree yielded, ready to store: valid (entity set) or not (errors). */
export interface ProcessedItem {
  entityRef: string;
  /** The processed entity without relations; absent when the newest version is invalid. */
  entity?: Entity;
  /** Relations from its spec in both directions (inverse rows have the target as source). */
  relations: GeneratedRelation[];
  errors: IngestionError[];
  /**
   * Problems entity checks (CatalogService.registerEntityCheck) found in the valid `entity`,
   * as processing-error status items stored with it. Part of `hash`.
   */
  status?: EntityStatusItem[];
  /** The descriptor file it came from (as in ingestion errors). */
  sourceFile: string;
  /** The Location entity that led to it; null for the generated root Location entity. */
  parentRef: string | null;
  /** For entities from an entity provider: where in the provider it came from. */
  locationKey?: string;
  /** Hash of everything stored for it; unchanged hash means nothing to write. */
  hash: string;
}

/** A root location read with all the child locations it leads to. */
export interface LocationTreeRead {
  items: ProcessedItem[];
  errors: LocationError[];
  /** Files whose read failed: their entities are kept as they were. */
  failedFiles: Set<string>;
  /** Part of the tree could not be read at all: remove nothing this time. */
  incomplete: boolean;
  contentHash: string;
  revision?: string;
  /** Every file read (descriptors and placeholder targets). */
  files: string[];
  /** Only plain local files, no globs and no read errors: a later stat of `files` can tell whether anything changed. */
  probeable: boolean;
}
