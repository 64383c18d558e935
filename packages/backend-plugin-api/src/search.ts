import { createCoreServiceRef } from './serviceFactory.js';

/**
 * The search collator contract: a plugin that has something worth finding registers a document
 * type with the search index. The search plugin stores the documents in Postgres and answers
 * `/api/search/query`; the collator only says what the documents are and when they change.
 */

/** One searchable thing (an entity, a docs page, a template). */
export interface SearchDocument {
  /** Unique within the document type, stable across rebuilds (e.g. the entity ref, or ref + page route). */
  key: string;
  title: string;
  /** Body text (plain text, no markup); long text is cut at 100,000 characters. */
  text: string;
  /** App path to open (`/catalog/default/component/x`) or an http(s) URL. */
  location: string;
  /**
   * The catalog entity the document belongs to (canonical lower-case ref), if any. A caller who may
   * not read that entity (`catalog.entity.read`) never sees the document nor counts it.
   */
  entityRef?: string;
  /** Facets and ranking hints. `name` gets a boost on exact and prefix matches and typo tolerance. */
  kind?: string;
  namespace?: string;
  name?: string;
  owner?: string;
  lifecycle?: string;
  tags?: string[];
  /** Extra words that rank like the name (e.g. the full entity ref, an alias). */
  keywords?: string[];
  /**
   * For catalog entities only: the entity's filterable fields as the catalog matches them
   * (`kind`, `metadata.name`, `spec.owner`, `relations.ownedby`, ...; values lower-cased), so
   * permission conditions compiled to catalog predicates apply to the index in SQL.
   */
  filterFields?: Record<string, string[]>;
}

/** Where a collator pushes single changes between full builds. */
export interface SearchDocumentSink {
  upsert(documents: readonly SearchDocument[]): Promise<void>;
  remove(keys: readonly string[]): Promise<void>;
  /** Replaces every document of this type that belongs to `entityRef` (e.g. all pages of one docs site). */
  replaceForEntity(entityRef: string, documents: readonly SearchDocument[]): Promise<void>;
}

export interface SearchCollator {
  /** Document type, e.g. `software-catalog`, `techdocs`, `templates` (lowercase letters, digits, dashes). */
  type: string;
  /** Human name of the type (a tab in the UI). */
  title?: string;
  /** Bump when the documents a collator yields change shape: the type is rebuilt at the next start. */
  version: string;
  /** Every document, in batches, for a full (re)build. */
  collate(signal: AbortSignal): AsyncIterable<readonly SearchDocument[]>;
  /** Follow changes and push them to `sink` (called once the type is registered); returns an unsubscribe function. */
  subscribe?(sink: SearchDocumentSink): () => void;
  /** Resolves once every change the collator has heard is in the sink (a collator that queues changes; tests and benchmarks wait on it). */
  idle?(): Promise<void>;
}

/** The collators of one backend: plugins register, the search plugin indexes. */
export interface SearchCollatorRegistry {
  register(collator: SearchCollator): void;
  list(): SearchCollator[];
  /** Called for every collator registered so far and every later one; returns an unsubscribe function. */
  onRegister(listener: (collator: SearchCollator) => void): () => void;
}

const TYPE = /^[a-z][a-z0-9-]{0,40}$/;

export function createSearchCollatorRegistry(): SearchCollatorRegistry {
  const collators = new Map<string, SearchCollator>();
  const listeners = new Set<(c: SearchCollator) => void>();
  return {
    register(collator) {
      if (!TYPE.test(collator.type)) throw new TypeError(`Invalid search document type "${collator.type}": use lowercase letters, digits and dashes`);
      if (collators.has(collator.type)) throw new TypeError(`Search document type "${collator.type}" is registered twice`);
      collators.set(collator.type, collator);
      for (const l of listeners) l(collator);
    },
    list: () => [...collators.values()],
    onRegister(listener) {
      listeners.add(listener);
      for (const c of collators.values()) listener(c);
      return () => void listeners.delete(listener);
    },
  };
}

/**
 * One registry per backend. A plugin lists it in `deps` (`deps: { search: searchCollatorsServiceRef }`)
 * and registers its collator in setup; works whether or not the search plugin is installed.
 */
export const searchCollatorsServiceRef = createCoreServiceRef<SearchCollatorRegistry, 'root'>({
  id: 'core.searchCollators',
  scope: 'root',
  defaultCreate: () => createSearchCollatorRegistry(),
});
