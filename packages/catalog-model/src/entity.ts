/**
 * The entity envelope, as Backstage defines it (`Entity.schema.json`): every catalog
 * entity, whatever its kind, has this shape. These are `type` aliases rather than
 * interfaces on purpose: type literals are assignable to index-signature types such as
 * the looser `EntityLike` in @atrium/frontend-plugin-api, interfaces are not.
 */

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue | undefined };

/** The namespace an entity is in when its descriptor names none. */
export const DEFAULT_NAMESPACE = 'default';

export type EntityLink = {
  /** Required; must parse as a URL. */
  url: string;
  title?: string;
  /** A key for a visual icon, e.g. `dashboard`. */
  icon?: string;
  /** A machine-readable category, e.g. `runbook`. */
  type?: string;
};

export type EntityMeta = {
  /** 1–63 chars, `[a-zA-Z0-9]` runs separated by `-`, `_` or `.`. Unique per kind+namespace, case-insensitively. */
  name: string;
  /** Defaults to `default`. Lower-case DNS label. */
  namespace?: string;
  title?: string;
  description?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  tags?: string[];
  links?: EntityLink[];
  /** Output only: assigned by the catalog on first insert. */
  uid?: string;
  /** Output only: changes whenever the stored entity changes. */
  etag?: string;
  /** Other keys are allowed under metadata (Backstage's schema has `additionalProperties: true`). */
  [key: string]: unknown;
};

/** An outgoing relation, as it appears in a stored entity's `relations` array. */
export type EntityRelation = {
  /** E.g. `ownedBy`; matches `^\w+$`. */
  type: string;
  /** Canonical, lower-cased `kind:namespace/name`. */
  targetRef: string;
};

export type EntityStatusLevel = 'info' | 'warning' | 'error';

export type EntityStatusItem = {
  /** E.g. `backstage.io/catalog-processing`. */
  type: string;
  level: EntityStatusLevel;
  message: string;
  error?: { name: string; message: string; code?: string; stack?: string; [key: string]: unknown };
  [key: string]: unknown;
};

export type EntityStatus = {
  items?: EntityStatusItem[];
  [key: string]: unknown;
};

export type Entity = {
  apiVersion: string;
  kind: string;
  metadata: EntityMeta;
  spec?: JsonObject;
  /** Output only: produced by processing and stitching. */
  relations?: EntityRelation[];
  /** Output only: produced by processing. */
  status?: EntityStatus;
};

/**
 * One validation failure. `path` locates the field (`metadata.name`,
 * `spec.dependsOn[2]`, `metadata.labels["example.com/team"]`; `''` is the entity itself);
 * `message` is a sentence for a human that names the field and what is wrong.
 */
export type ValidationIssue = {
  path: string;
  message: string;
};
