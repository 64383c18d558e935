/**
 * Types shared by the catalog's backend, its UI and other plugins: request and response
 * shapes of the REST API at /api/catalog (Backstage-compatible), event payloads, and the
 * CatalogService other backend plugins use in-process.
 */
import { defineEventTopic } from '@atrium/backend-plugin-api/eventTopics';
import type { CompoundEntityRef, Entity } from '@atrium/catalog-model';
import type { Caller } from '@atrium/backend-plugin-api';

export type { Entity };

/**
 * Marks a filter key that only has to exist (`filter=metadata.annotations.x` with no value).
 * The same registered symbol as @backstage/catalog-client uses, so filters built with either
 * library mean the same.
 */
export const CATALOG_FILTER_EXISTS: unique symbol = Symbol.for('CATALOG_FILTER_EXISTS_0e15b590c0b343a2bae3e787e84c2111') as never;

/** One AND-set of conditions; an array of sets is OR-ed. Values match case-insensitively. */
export type EntityFilterSet = Record<string, string | symbol | true | Array<string | symbol>>;
export type EntityFilterQuery = EntityFilterSet | EntityFilterSet[];

/**
 * The predicate language of `POST /entities/by-query` (Backstage's filter predicates):
 * `{ $all: [...] }`, `{ $any: [...] }`, `{ $not: {...} }`, or field matchers
 * `{ "spec.type": "service" }`, `{ "metadata.tags": { $contains: "java" } }`,
 * `{ kind: { $in: ["component", "api"] } }`, `{ "metadata.name": { $hasPrefix: "pay" } }`,
 * `{ "spec.owner": { $exists: true } }`.
 */
export type FilterPredicate = { $all: FilterPredicate[] } | { $any: FilterPredicate[] } | { $not: FilterPredicate } | { [field: string]: FilterValue };
export type FilterPrimitive = string | number | boolean;
export type FilterValue =
  | FilterPrimitive
  | { $exists: boolean }
  | { $in: FilterPrimitive[] }
  | { $hasPrefix: string }
  | { $contains: FilterPrimitive | { type: string; targetRef?: string | { $in: string[] } } };

export type EntityOrder = { field: string; order: 'asc' | 'desc' };

export interface FullTextFilter {
  term: string;
  /** Dot paths to search in; all fields when absent. */
  fields?: string[];
}

/** GET /entities/by-query and POST /entities/by-query. */
export interface QueryEntitiesResponse {
  items: Entity[];
  /** Absent when the request asked `totalItems=exclude`. */
  totalItems?: number;
  pageInfo: { nextCursor?: string; prevCursor?: string };
}

/** POST /entities/by-refs */
export interface GetEntitiesByRefsResponse {
  items: Array<Entity | null>;
}

/** GET /entity-facets */
export interface EntityFacetsResponse {
  facets: Record<string, Array<{ value: string; count: number }>>;
}

/** GET /entities/by-name/:kind/:namespace/:name/ancestry */
export interface EntityAncestryResponse {
  rootEntityRef: string;
  items: Array<{ entity: Entity; parentEntityRefs: string[] }>;
}

export type LocationType = 'file' | 'url' | 'git';

/** A registered location, as Backstage's API returns it. */
export interface Location {
  id: string;
  type: string;
  target: string;
}

/** Atrium's extra view of a location: where it came from and how its last read went. */
export interface LocationStatus extends Location {
  /** `config`: from `catalog.locations`; `api`: registered through POST /locations. */
  source: 'config' | 'api';
  lastReadAt: string | null;
  nextRefreshAt: string | null;
  entityCount: number;
  errors: LocationError[];
}

export interface LocationError {
  name: string;
  message: string;
  /** e.g. `yaml`, `validation`, `read`, `conflict`. */
  kind?: string;
  file?: string;
  line?: number;
  column?: number;
  field?: string;
  entityRef?: string;
}

/** POST /locations */
export interface AddLocationRequest {
  type: LocationType;
  target: string;
  presence?: 'required' | 'optional';
}
export interface AddLocationResponse {
  location: Location;
  entities: Entity[];
  /** Only on dry runs: whether the location is already registered. */
  exists?: boolean;
}

/** POST /analyze-location */
export interface AnalyzeLocationRequest {
  location: { type: string; target: string };
  catalogFilename?: string;
}
export interface AnalyzeLocationResponse {
  existingEntityFiles: Array<{ entity: Entity; isRegistered: boolean; location: { type: string; target: string } }>;
  generateEntities: Array<{
    entity: Partial<Entity>;
    fields: Array<{
      field: string;
      state: 'analysisSuggestedValue' | 'analysisSuggestedNoValue' | 'needsUserInput';
      value: string | null;
      description: string;
    }>;
  }>;
}

/** Payload of `catalogEntityUpserted`: the canonical (lower-case) ref of the stored entity. */
export interface EntityUpsertedEvent {
  entityRef: string;
  uid: string;
}
/** Payload of `catalogEntityRemoved`. */
export interface EntityRemovedEvent {
  entityRef: string;
}
/** Payload of `catalogLocationError`: the errors of the last read of a location. */
export interface LocationErrorEvent {
  locationId: string;
  errors: LocationError[];
}
/**
 * Topics the catalog publishes on the events service, after the change is committed, on every
 * replica. Backend plugins follow entity changes with `CatalogService.onEntityChange` (built on
 * the first two); subscribe to a topic directly only for what it does not cover (location errors).
 */
export const catalogEntityUpserted = defineEventTopic<EntityUpsertedEvent>('catalog.entity.upserted');
export const catalogEntityRemoved = defineEventTopic<EntityRemovedEvent>('catalog.entity.removed');
export const catalogLocationError = defineEventTopic<LocationErrorEvent>('catalog.location.error');

/** Status item type for processing errors on an entity (Backstage's). */
export const ENTITY_STATUS_PROCESSING_TYPE = 'backstage.io/catalog-processing';
/** Status item type listing relation targets that are not in the catalog. */
export const ENTITY_STATUS_UNRESOLVED_RELATIONS_TYPE = 'atrium.dev/unresolved-relations';
/** Status item type (a warning) for overlay annotations or labels the entity's own source overrides. */
export const ENTITY_STATUS_OVERLAY_TYPE = 'atrium.dev/metadata-overlay';

/**
 * Reads on behalf of a caller: with `caller`, only the entities it may `catalog.entity.read`
 * (its policy predicate ANDed into the query, in SQL, as the HTTP routes do), so lists, totals
 * and facet counts are the caller's. Without it the read is the backend's own (unfiltered): a
 * plugin answering a user passes that user.
 */
export interface ReadAs {
  caller?: Caller;
}

/** In-process API of the catalog for other backend plugins (`catalogServiceRef`). */
export interface CatalogService {
  /** A ref string (`component:default/x`, kind and namespace defaulting as usual) or `{ kind, namespace?, name }`. */
  getEntityByRef(ref: string | (Omit<CompoundEntityRef, 'namespace'> & { namespace?: string })): Promise<Entity | undefined>;
  /** Same order as `refs`; undefined for refs not in the catalog (or, with `caller`, hidden from it). */
  getEntitiesByRefs(refs: string[], options?: { fields?: string[] } & ReadAs): Promise<Array<Entity | undefined>>;
  /** Cursor-paginated query, as GET /entities/by-query. */
  queryEntities(request?: CatalogQueryRequest & ReadAs): Promise<QueryEntitiesResponse>;
  /** Every entity matching a filter (use for modest result sets; prefer queryEntities for pages). */
  getEntities(
    request?: { filter?: EntityFilterQuery; fields?: string[]; order?: EntityOrder[]; limit?: number; offset?: number } & ReadAs,
  ): Promise<{ items: Entity[] }>;
  getEntityFacets(request: { facets: string[]; filter?: EntityFilterQuery } & ReadAs): Promise<EntityFacetsResponse>;
  /** Re-reads the entity's location now. */
  refreshEntity(ref: string): Promise<void>;
  /**
   * Calls `handler` after an entity is stored or removed (on every replica): the one way backend
   * plugins follow catalog changes. Returns an unsubscribe function.
   */
  onEntityChange(handler: (change: EntityChange) => void | Promise<void>): () => void;
  /**
   * Registers a location, under the same rules as POST /locations (file targets inside
   * `catalog.readers.fileRoots`, http(s) URLs only), and starts reading it on this replica.
   * An existing location is a ConflictError unless `onConflict: 'refresh'`, which re-reads it.
   * Use `waitForLocationRead` to learn how the read went.
   */
  addLocation(request: AddLocationRequest, options?: AddLocationOptions): Promise<{ location: Location; existed: boolean }>;
  /** Unregisters a location registered through the API and removes its entities (config locations are refused). */
  removeLocation(id: string): Promise<void>;
  /** Re-reads a location now and returns once the read is stored. */
  refreshLocation(id: string): Promise<void>;
  /** How the last read of a location went; undefined when there is no such location. */
  getLocationStatus(id: string): Promise<LocationStatus | undefined>;
  /**
   * Waits until the location has been read since it was added or last asked to refresh, then
   * returns its status (errors included) and the entities it yields. Rejects after `timeoutMs`
   * (default 60 s) or when `signal` aborts.
   */
  waitForLocationRead(id: string, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<LocationReadResult>;
  /**
   * Connects an entity provider: calls `provider.connect(connection)` at once (on this replica)
   * and resolves when it returns. Names are unique per process; a second registration under the
   * same name is a ConflictError. The provider's entities stay in the catalog across restarts.
   */
  registerEntityProvider(provider: EntityProvider): Promise<void>;
  /** Status of every provider that has ever applied a mutation or been registered, by name. */
  listEntityProviders(): Promise<EntityProviderStatus[]>;
  /** Status of one provider; undefined when none by that name is known. */
  getEntityProviderStatus(name: string): Promise<EntityProviderStatus | undefined>;
  /**
   * Adds a check to the processing of entities read from locations (the scaffolder checks that
   * a Template's steps can run). A valid entity of one of its kinds that the check finds
   * problems in is still stored, with each problem as a processing error: on the entity's page
   * (status items) and among its location's errors, at the named field's line. At once, and
   * again after `recheck()`, the check runs on the stored entities of those kinds and the
   * locations of those whose problems change are read again.
   */
  registerEntityCheck(check: EntityCheck): Promise<EntityCheckRegistration>;
  /**
   * Sets or removes annotations and labels on an entity through the catalog's metadata overlay
   * (a key with value `null` is removed), as `options.source` (e.g. `automation:<id>`): the
   * change is merged into that source's overlay row, audited (`catalog.overlay.update`) in the
   * same transaction, and the entity is re-stitched before this resolves. The entity's own source
   * (its descriptor file or provider) wins: a key it sets cannot be set to another value or
   * removed here (ConflictError naming the source). Checks `catalog.entity.annotate` on the
   * entity for `options.actor` (NotAllowedError); bad keys or values are an InputError, a missing
   * entity a NotFoundError. With `dryRun` it checks everything and writes nothing.
   */
  setEntityOverlay(ref: string, changes: EntityOverlayChanges, options: EntityOverlayOptions & { dryRun?: boolean }): Promise<EntityOverlayResult>;
  /** Removes everything `options.source` set on the entity (audited as `catalog.overlay.delete`); same checks as setEntityOverlay. */
  clearEntityOverlay(ref: string, options: EntityOverlayOptions): Promise<EntityOverlayResult>;
}

/** Annotations and labels to set (a string) or remove (`null`) in one source's overlay of an entity. */
export interface EntityOverlayChanges {
  annotations?: Record<string, string | null>;
  labels?: Record<string, string | null>;
}

export interface EntityOverlayOptions {
  /** Who asks: checked for `catalog.entity.annotate` and named in the audit record. */
  actor: Caller;
  /**
   * Whose overlay it is: `automation:<id>`, `api` (the HTTP route's default), `<plugin>:<name>`.
   * Letters, digits and `.` `_` `:` `/` `@` `-`, at most 200 characters.
   */
  source: string;
  /**
   * For automations: how many automation steps led to this change. The entity's next
   * `catalog.entity.updated` event carries it in `meta.hop`, so an automation that reacts to
   * entity updates by annotating is stopped like any other loop (automations.maxHops).
   */
  hop?: number;
}

/** One source's overlay of an entity. */
export interface EntityOverlay {
  source: string;
  annotations: Record<string, string>;
  labels: Record<string, string>;
}

export interface EntityOverlayResult {
  entityRef: string;
  /** This source's overlay after the change (empty maps once nothing is left). */
  overlay: EntityOverlay;
  /** The entity as served after the change (undefined for a dry run). */
  entity?: Entity;
}

/** A problem an EntityCheck found: what is wrong, and the field (`spec.steps[2].input`) it is in. */
export interface EntityCheckProblem {
  message: string;
  field?: string;
}

/** A plugin's check on entities of some kinds (CatalogService.registerEntityCheck). */
export interface EntityCheck {
  /** `<pluginId>.<name>`, unique, e.g. `scaffolder.template-steps`. */
  id: string;
  /** Kinds it checks (case-insensitive). */
  kinds: string[];
  /** Problems of one valid entity (placeholders resolved, defaults applied); empty when fine. Should be quick and not throw. */
  check(entity: Entity): EntityCheckProblem[] | Promise<EntityCheckProblem[]>;
}

export interface EntityCheckRegistration {
  /** What the check decides may have changed (e.g. new actions exist): check the stored entities again. */
  recheck(): Promise<void>;
  /** Removes the check (entities keep their errors until their location is read again). */
  remove(): void;
}

/**
 * Feeds entities into the catalog from somewhere other than a descriptor file (an org
 * directory, SCIM, a source-control host). Its entities go through the same validation,
 * relations, stitching and events as those read from locations, and are owned by it: no
 * location or other provider can overwrite or delete them, and it cannot take theirs.
 */
export interface EntityProvider {
  /** Stable across restarts (it owns its stored entities by this name): letters, digits, `.`, `_`, `-`, at most 100. */
  readonly name: string;
  connect(connection: EntityProviderConnection): Promise<void>;
}

/** An entity a provider yields; `locationKey` says where in the provider it came from (shown in errors). */
export interface DeferredEntity {
  entity: Entity;
  locationKey?: string;
  /**
   * The provider's own record of people and teams (a directory's users, an org's teams, SCIM),
   * not a file someone else wrote. The catalog marks it `provider:<name>` in
   * `backstage.io/managed-by-origin-location`, and such Users and Groups confer group membership
   * (like entities from locations listed in config). Only set it for data the provider's source
   * vouches for: a catalog-info.yaml found in a repository is not.
   */
  authoritative?: boolean;
}

export type EntityProviderMutation =
  /** Everything the provider owns now: adds and updates these, removes what it owned and no longer yields. */
  | { type: 'full'; entities: DeferredEntity[] }
  /** Adds or updates `added`, removes `removed` (by entity, or by ref). */
  | { type: 'delta'; added: DeferredEntity[]; removed: Array<DeferredEntity | { entityRef: string }> };

export interface EntityProviderConnection {
  /** Stores a mutation and resolves once it is stitched and visible; mutations of one provider run one at a time. */
  applyMutation(mutation: EntityProviderMutation): Promise<EntityProviderMutationResult>;
  /** Rebuilds (re-stitches) this provider's entities with these location keys, e.g. after a related change. */
  refresh(options: { keys: string[] }): Promise<void>;
}

export interface EntityProviderMutationResult {
  /** Entities written (new or changed). */
  written: number;
  /** Refs removed. */
  removed: string[];
  /** Invalid entities and conflicts: each entity failed alone, the rest was stored. */
  errors: LocationError[];
}

/** GET /providers: what a provider last did. */
export interface EntityProviderStatus {
  name: string;
  /** Registered in this backend process (it may have been registered elsewhere or earlier). */
  connected: boolean;
  lastMutationAt: string | null;
  lastMutationType: 'full' | 'delta' | null;
  mutationCount: number;
  entityCount: number;
  /** Errors of the last mutation, then entities that could not be stitched. */
  errors: LocationError[];
}

export interface AddLocationOptions {
  onConflict?: 'reject' | 'refresh';
  /** Who asked, for the audit record (e.g. the scaffolder task's user ref). */
  requestedBy?: string;
}

export interface LocationReadResult {
  status: LocationStatus;
  /** The stored entities of the location, its generated Location entity included. */
  entities: Entity[];
}

export type EntityChange = { type: 'upserted'; entityRef: string; uid: string } | { type: 'removed'; entityRef: string };

export type CatalogQueryRequest =
  | {
      filter?: EntityFilterQuery;
      query?: FilterPredicate;
      fields?: string[];
      limit?: number;
      offset?: number;
      orderFields?: EntityOrder | EntityOrder[];
      fullTextFilter?: FullTextFilter;
      totalItems?: 'include' | 'exclude';
    }
  | { cursor: string; limit?: number; fields?: string[] };
export * from './entityHistory.js';
