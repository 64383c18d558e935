import type { CustomKindDefinition, Entity } from '@atrium/catalog-model';

/**
 * Where descriptor files come from.
 *
 * - `file`: `target` is an absolute path or glob (`/srv/catalog/**\/catalog-info.yaml`). The
 *   caller resolves relative config paths against the config file's directory first.
 * - `url`: `target` is an absolute `http:` or `https:` URL of one file.
 * - `git`: `target` is `<repository URL>#<ref>:<path or glob>`, e.g.
 *   `file:///tmp/repo.git#main:**\/catalog-info.yaml` or
 *   `https://github.com/acme/svc.git#v1.2.0:catalog-info.yaml`. The repository URL is
 *   everything before the LAST `#`; the ref is between that `#` and the next `:`; the path
 *   (relative to the repository root, no leading `/`) or glob follows. `<ref>` is a branch,
 *   tag or full commit hash (`[A-Za-z0-9._/-]`, no leading `-`, no `..`). The `:<path>` part
 *   may be left out: it defaults to `catalog-info.yaml`.
 */
export interface LocationSpec {
  type: 'file' | 'url' | 'git';
  target: string;
  /** `optional`: a target that does not exist is not an error (Backstage's Location `presence`). Default `required`. */
  presence?: 'required' | 'optional';
}

/** A location named by a Location entity; the caller follows it (with cycle detection). */
export interface ChildLocationSpec extends LocationSpec {
  presence: 'required' | 'optional';
  /** Canonical ref of the Location entity that names it, e.g. `location:default/acme`. */
  parentEntityRef: string;
}

/**
 * One `catalog.rules` entry, as in Backstage: `{ allow: [Component, API] }`. An item may also
 * be `{ kind, 'spec.type' }` to allow one spec type of a kind only. Kind matching is
 * case-insensitive.
 */
export interface CatalogRule {
  allow: Array<string | { kind: string; 'spec.type'?: string }>;
}

export interface IngestionOptions {
  /**
   * Absolute directories that `file` locations (and `$text`/`$json`/`$yaml` placeholders read
   * from files) may read under: the config roots and the directories of config files naming
   * static locations. A path that escapes all of them through `..` or a symlink is refused.
   */
  fileRoots: string[];
  /** Allow `url` reads from loopback, private, link-local and unique-local addresses. Default false. */
  allowPrivateNetworks?: boolean;
  /**
   * Hosts that `url` reads (locations and placeholders) and networked git fetches may reach,
   * like Backstage's `backend.reading.allow`: `example.com`, or `*.example.com` for its
   * subdomains. Undefined allows every host (the private-network rule still applies);
   * `[]` allows none.
   */
  allowedUrlHosts?: string[];
  /** Per-request timeout for `url` reads (each redirect hop included). Default 10 000 ms. */
  urlTimeoutMs?: number;
  /** Largest file read (descriptor or placeholder target), in bytes. Default 10 MB. A bigger file is an error. */
  maxBytes?: number;
  /** Directory for cached bare git repositories (one per repository URL). Default `<os tmpdir>/atrium-git-cache`. */
  gitCacheDir?: string;
  /** Timeout for each git command. Default 60 000 ms. */
  gitTimeoutMs?: number;
  /**
   * A ref fetched less than this long ago (into the same cache) is read at the commit it
   * resolved to then, without fetching again, so the child locations of a git Location cost
   * one fetch, not one each. Default 30 000 ms; 0 always fetches.
   */
  gitFetchTtlMs?: number;
  /** Kinds declared in config (or as data), validated like built-in kinds. */
  customKinds?: CustomKindDefinition[];
  /**
   * `catalog.rules`: which kinds this location may produce. An entity is accepted when any
   * rule here or in `locationRules` allows it. Undefined means every kind is allowed
   * (pass `[{ allow: ['Component', 'API', 'Location'] }]` for Backstage's default).
   */
  rules?: CatalogRule[];
  /** The `rules` of the configured location itself (`catalog.locations[].rules`); added to `rules`. */
  locationRules?: CatalogRule[];
  /**
   * The root location (static in config or registered through the API) that led to this
   * one; written to `backstage.io/managed-by-origin-location`. Defaults to the location read.
   */
  originLocation?: LocationSpec;
  /**
   * YAML alias (billion laughs) defence: a document may expand to at most its own size in
   * bytes plus this many nodes once aliases are followed. Default 100 000.
   */
  yamlAliasBudget?: number;
  /**
   * Kinds (lower case) whose entities carry `fieldLines`: the line of each field, so problems
   * that entity checks registered by other plugins find later (on the main thread, without the
   * YAML) can still point at the field's line.
   */
  fieldLinesFor?: string[];
  /** Cancels reads in flight. */
  signal?: AbortSignal;
}

export type IngestionErrorKind = 'yaml' | 'validation' | 'placeholder' | 'read' | 'security' | 'duplicate' | 'relation' | 'rules';

export interface IngestionError {
  message: string;
  kind: IngestionErrorKind;
  /** The file (absolute path, URL, or `<repo>#<ref>:<path>` for git) the error is about. */
  file: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  /** Field path inside the entity, e.g. `spec.owner`, `metadata.tags[2]`. */
  field?: string;
}

export interface IngestedEntity {
  /**
   * Present when valid: namespace defaulted, placeholders resolved, origin annotations set,
   * `relations` holding the forward relations from this entity's own spec (the store adds
   * inverses and stitches). No uid/etag.
   */
  entity?: Entity;
  /** Canonical `kind:namespace/name`, whenever it could be determined, even if invalid. */
  entityRef?: string;
  /** Empty when valid. */
  errors: IngestionError[];
  /** For kinds in `IngestionOptions.fieldLinesFor`: 1-based line of each field path (`spec.steps[2].input`), a few levels deep. */
  fieldLines?: Record<string, number>;
  source: {
    /** The file the document is in (as in IngestionError.file). */
    url: string;
    /** Location ref `type:target` of that file, the value of backstage.io/managed-by-location. */
    locationRef: string;
    /** 1-based position of the document's first node. */
    line: number;
    column: number;
  };
}

export interface LocationReadResult {
  /** Every document that is an object, valid or not, in file order. Location entities included. */
  entities: IngestedEntity[];
  /**
   * Targets named by valid Location entities (spec.target / spec.targets), resolved to
   * absolute specs. The caller reads them recursively, detecting cycles.
   */
  childLocations: ChildLocationSpec[];
  /** Location-level errors: unreadable, not found, refused, too large, YAML syntax. */
  errors: IngestionError[];
  /** sha256 over everything read (files and placeholder contents) and the options that shape the output. */
  contentHash: string;
  /** What was read, in order: descriptor files first, then placeholder targets. */
  files: string[];
  /** For git locations: the commit hash that was read. */
  revision?: string;
}
