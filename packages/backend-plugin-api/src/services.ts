import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { JsonSchema } from './validation.js';
import type { EventTopic } from './eventTopics.js';

export type { Logger };

/** Who is calling. For now every caller is a guest; real sign-in slots in behind this type. */
export interface Caller {
  type: 'guest' | 'user' | 'service';
  /** e.g. `user:default/guest` */
  userEntityRef: string;
  /** The refs this caller owns through: itself and its groups. */
  ownershipEntityRefs: string[];
  displayName: string;
  /**
   * Set when the caller came with an API token: what the token may do (`read` = every permission
   * whose name ends in `.read`, or named permissions). Permission services deny anything else.
   */
  scopes?: readonly string[];
}

/** Minimal request view the auth service reads; an Express request satisfies it. */
export interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
}

export interface AuthService {
  /** Identifies the caller of a request. Throws AuthenticationError when sign-in is required and missing. */
  getCaller(req: RequestLike): Promise<Caller>;
  /** The identity used for work the backend does on its own (scheduled jobs, event handlers). */
  serviceCaller(pluginId: string): Caller;
}

export interface PermissionRequest {
  /** e.g. `catalog.entity.delete` */
  permission: string;
  /** The entity or object the action targets, when there is one. */
  resourceRef?: string;
  /** The target itself (e.g. the catalog entity), when the caller already has it: saves a lookup. */
  resource?: unknown;
}
export interface PermissionDecision {
  result: 'ALLOW' | 'DENY';
  reason?: string;
  /** The policy rule that decided (0-based index in `permission.policy.rules`), when a rule did. */
  ruleIndex?: number;
  /** That rule's `id`, when it has one. */
  ruleId?: string;
  /**
   * ALLOW only for some targets: the request named none, and the allowing rule has conditions.
   * A list must then be filtered with `queryConditions`.
   */
  conditional?: boolean;
}
/**
 * Which resources of a list a caller may see: all, none, or those matching a catalog filter
 * predicate (the `POST /entities/by-query` `query` language: `$all`, `$any`, `$not`, field matchers).
 */
export type QueryConditions = { result: 'all' } | { result: 'none' } | { result: 'filter'; predicate: Record<string, unknown> };
export interface PermissionsService {
  authorize(caller: Caller, request: PermissionRequest): Promise<PermissionDecision>;
  /** Several decisions for one caller, in the order asked (the UI's batch check). */
  authorizeMany(caller: Caller, requests: readonly PermissionRequest[]): Promise<PermissionDecision[]>;
  /** authorize() and throw NotAllowedError on DENY. */
  assert(caller: Caller, request: PermissionRequest): Promise<void>;
  /**
   * The policy for a resource permission (e.g. `catalog.entity.read`) turned into a filter for a
   * list query, so a list shows exactly the resources the caller may see.
   */
  queryConditions(caller: Caller, permission: string): Promise<QueryConditions>;
}

export type AuditOutcome = 'succeeded' | 'failed' | 'denied';
export interface AuditEvent {
  actor: Caller;
  /** Dotted, plugin first, e.g. `catalog.entity.delete`. */
  action: string;
  target?: string;
  /** Default `succeeded`. */
  outcome?: AuditOutcome;
  /** Older name of `outcome`; read when `outcome` is absent. */
  status?: AuditOutcome;
  meta?: Record<string, unknown>;
  /** The target before and after the change: small objects are kept as a diff, larger ones as sha256 digests. */
  before?: unknown;
  after?: unknown;
  /** Default: the id of the HTTP request being served (`x-request-id`), when there is one. */
  requestId?: string;
  /** Default: the client address of the HTTP request being served. */
  clientAddress?: string;
}
export interface AuditRecordOptions {
  /**
   * Write the record inside this transaction (on any plugin's knex): it commits or rolls back with
   * the change it records, and an error writing it rejects (so the change can be rolled back).
   * It must be a READ COMMITTED transaction (knex's default).
   */
  trx?: Knex.Transaction;
}
export interface AuditService {
  /**
   * Records an event. Without `trx` the record commits on its own; the promise never rejects (a
   * failure is logged), so existing callers may ignore it. With `trx`, await it.
   */
  record(event: AuditEvent, options?: AuditRecordOptions): void | Promise<void>;
}

/** One row of the audit log, as the API returns it. */
export interface AuditRecord {
  id: string;
  time: string;
  actor: string;
  actorType: string;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  requestId: string | null;
  clientAddress: string | null;
  diff: unknown;
  meta: Record<string, unknown> | null;
  prevHash: string;
  hash: string;
}
export interface AuditQuery {
  actor?: string;
  /** Matches the action itself and anything under it (`catalog.entity` matches `catalog.entity.delete`). */
  actionPrefix?: string;
  target?: string;
  from?: Date;
  to?: Date;
  outcome?: AuditOutcome;
  /** From a previous page's `nextCursor`. */
  cursor?: string;
  /** 1..500, default 50. */
  limit?: number;
}
export interface AuditPage {
  items: AuditRecord[];
  /** Present when there are older records. */
  nextCursor?: string;
}
export type AuditVerifyResult =
  { ok: true; checked: number; fromCheckpoint: string | null } | { ok: false; checked: number; brokenAt: { id: string; time: string }; reason: string };
/** Reading the durable audit log (newest first) and checking its hash chain. */
export interface AuditLogService {
  query(query: AuditQuery): Promise<AuditPage>;
  verify(): Promise<AuditVerifyResult>;
}

export interface JobOptions {
  /** How often the job runs, in seconds (minimum 1). */
  intervalSeconds: number;
  /** Run once soon after start instead of waiting a full interval (default true). */
  runOnStart?: boolean;
  /** A run still going after this many seconds is considered dead and may be claimed again (default 10 minutes). */
  timeoutSeconds?: number;
}
/**
 * Named recurring jobs. With several replicas on one database a job runs once per tick:
 * a replica claims the tick with a conditional UPDATE before running it.
 */
export interface SchedulerService {
  every(id: string, options: JobOptions, fn: (signal: AbortSignal) => Promise<void>): void;
  /** Runs a job now (on this replica), outside its schedule. */
  trigger(id: string): Promise<void>;
}

export interface EventEnvelope<T = unknown> {
  topic: string;
  payload: T;
  /** Id of the replica that published it. */
  origin: string;
  publishedAt: string;
}
export type EventHandler<T = unknown> = (event: EventEnvelope<T>) => void | Promise<void>;
/**
 * Publish/subscribe between plugins. Delivered in-process at once; carried to other
 * replicas on the same Postgres through LISTEN/NOTIFY.
 */
export interface EventsService {
  /** With a declared topic (see eventTopics.ts) the payload is checked against its type. */
  publish<T>(topic: EventTopic<T>, payload: NoInfer<T>): Promise<void>;
  publish<T>(topic: string, payload: T): Promise<void>;
  /**
   * Publishes one event per payload, in order, like calling publish for each; across replicas
   * they travel together (one NOTIFY), which is what bulk producers such as the catalog need.
   */
  publishMany<T>(topic: EventTopic<T>, payloads: readonly NoInfer<T>[]): Promise<void>;
  publishMany<T>(topic: string, payloads: readonly T[]): Promise<void>;
  /**
   * Returns an unsubscribe function. A declared topic types the payload; a string `topic` may
   * end with `*` to match a prefix.
   */
  subscribe<T>(topic: EventTopic<T>, handler: EventHandler<NoInfer<T>>): () => void;
  subscribe<T>(topic: string, handler: EventHandler<T>): () => void;
}

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  message?: string;
}

/** Facts about the running host that admin plugins may read. */
export interface HostInfoService {
  version: string;
  startedAt: Date;
  /**
   * Absolute path of the writable data directory (`backend.dataDir`, default `.atrium` beside the
   * config file that set it, or the working directory). Every cache, clone and generated file a
   * plugin keeps on disk goes under `<dataDir>/<pluginId>/...` (or a documented shared folder such
   * as `<dataDir>/repos`), never under the working directory or the OS temp folder.
   */
  dataDir: string;
  database(): DatabaseInfo;
  plugins(): Promise<PluginStatusInfo[]>;
  jobs(): Promise<JobStatusInfo[]>;
}
export interface PluginStatusInfo {
  id: string;
  status: 'starting' | 'running' | 'failed' | 'stopped';
  error?: string;
  startupMs?: number;
  dependsOn: string[];
  health: HealthReport;
  migrations: Array<{ name: string; appliedAt: string | null }>;
}
export interface JobStatusInfo {
  id: string;
  pluginId: string;
  intervalSeconds: number;
  lastRunAt: string | null;
  lastStatus: 'ok' | 'error' | null;
  lastError: string | null;
  lastDurationMs: number | null;
  nextRunAt: string | null;
  running: boolean;
}

/** A piece of the OpenAPI document; paths are relative to the plugin's mount point `/api/<id>`. */
export interface OpenApiFragment {
  paths?: Record<string, unknown>;
  components?: { schemas?: Record<string, JsonSchema> };
  tags?: Array<{ name: string; description?: string }>;
}

export interface LifecycleService {
  /** Called on graceful shutdown, in reverse start order. */
  onShutdown(fn: () => void | Promise<void>): void;
}

export type Db = Knex;

/**
 * This process: one id per running backend (a replica), shared by everything in it. Use the
 * replica id wherever work is claimed in the database (leases, locks, queue claims) or a replica
 * must be told apart from the others; never invent another one.
 */
export interface InstanceService {
  /** Unique per start of a backend process (a fresh UUID unless the host is given one). */
  readonly replicaId: string;
  /** The Atrium version running. */
  readonly version: string;
  readonly startedAt: Date;
}

/** The whole merged configuration, with where each key came from. */
export interface ConfigService {
  readonly data: Readonly<Record<string, unknown>>;
  /** The value at a dot path (`backend.baseUrl`), or undefined. */
  get(keyPath: string): unknown;
  /** The config file that set a key (or its closest ancestor), for error messages. */
  originOf(keyPath: string): string | undefined;
  /** The directory relative paths found at a key resolve against. */
  baseDirOf(keyPath: string): string;
}

export interface DatabaseInfo {
  mode: 'embedded' | 'postgres';
  /** A data directory, `:memory:`, or `host:port/database` (never a password). */
  location: string;
  serverVersion: string;
}

/** An open database: hands out knex instances scoped to one schema each. */
export interface DatabaseService {
  info: DatabaseInfo;
  /** Creates the schema when missing and returns a knex whose search_path is that schema. */
  forSchema(schema: string): Promise<Knex>;
  /**
   * Runs `fn` while holding a database-wide lock, so replicas starting together on one server
   * create schemas and run migrations one at a time.
   */
  withStartupLock<T>(fn: () => Promise<T>): Promise<T>;
  /** Present on a server database: opens a dedicated session for LISTEN. */
  connectionConfig?: Knex.PgConnectionConfig;
  close(): Promise<void>;
}
