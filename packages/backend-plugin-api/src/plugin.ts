import type { Router } from 'express';
import type { Knex } from 'knex';
import type {
  AuditService,
  AuthService,
  EventsService,
  HealthReport,
  HostInfoService,
  InstanceService,
  LifecycleService,
  Logger,
  OpenApiFragment,
  PermissionsService,
  SchedulerService,
} from './services.js';
import type { PermissionDefinition } from './permissionDefinitions.js';
import type { RouteDefinition } from './routes.js';
import type { JsonSchema } from './validation.js';

/**
 * A typed handle for a service: one a plugin provides and others depend on (createServiceRef),
 * or a core service the host builds (coreServices, createCoreServiceRef).
 */
export interface ServiceRef<T> {
  readonly id: string;
  /** Phantom field carrying the type; never set at run time. */
  readonly $type?: T;
}

export function createServiceRef<T>(id: string): ServiceRef<T> {
  return { id };
}

type ServiceOf<R> = R extends ServiceRef<infer T> ? T : never;
export type ResolvedDeps<D extends Record<string, ServiceRef<unknown>>> = { [K in keyof D]: ServiceOf<D[K]> };
export type ResolvedOptionalDeps<D extends Record<string, ServiceRef<unknown>>> = { [K in keyof D]: ServiceOf<D[K]> | undefined };

/** One schema migration; runs inside the plugin's own Postgres schema, in a transaction. */
export interface Migration {
  /** Unique and sortable within the plugin, e.g. `0001_init`. */
  name: string;
  up(knex: Knex): Promise<void>;
  down?(knex: Knex): Promise<void>;
}

/** Everything the host hands a plugin's setup(). */
export interface PluginContext<
  C = unknown,
  D extends Record<string, ServiceRef<unknown>> = Record<string, never>,
  O extends Record<string, ServiceRef<unknown>> = Record<string, never>,
> {
  pluginId: string;
  /** Mounted at `/api/<pluginId>`; JSON bodies are parsed; thrown errors become JSON error bodies. */
  router: Router;
  /** knex on the plugin's own Postgres schema (search_path), migrations already applied. */
  db: Knex;
  /** The plugin's schema name, for the rare raw SQL that must qualify names. */
  dbSchema: string;
  /** The plugin's config section, validated against its configSchema with defaults applied. */
  config: C;
  /** The whole merged config, read-only, for shared keys such as `backend.baseUrl`. */
  rootConfig: Readonly<Record<string, unknown>>;
  /** Directory of the config file that defined a key, for resolving relative paths (e.g. file locations). */
  configBaseDir(keyPath: string): string;
  logger: Logger;
  scheduler: SchedulerService;
  events: EventsService;
  auth: AuthService;
  permissions: PermissionsService;
  audit: AuditService;
  lifecycle: LifecycleService;
  host: HostInfoService;
  /** This replica: `replicaId` (use it for every claim, lease or lock), `version`, `startedAt`. */
  instance: InstanceService;
  /** Base URL the backend is reachable at, from `backend.baseUrl`. */
  baseUrl: string;
  deps: ResolvedDeps<D>;
  /** Services from `optionalDeps`: undefined when no installed plugin provides one (or it failed to start). */
  optionalDeps: ResolvedOptionalDeps<O>;
}

export interface BackendPluginDefinition<
  C = unknown,
  D extends Record<string, ServiceRef<unknown>> = Record<string, never>,
  P = void,
  O extends Record<string, ServiceRef<unknown>> = Record<string, never>,
> {
  /** Lowercase id; the config section, API mount `/api/<id>` and Postgres schema are named after it. */
  id: string;
  /** JSON Schema for this plugin's config section; the host validates it at start. */
  configSchema?: JsonSchema;
  migrations?: Migration[];
  /** Services this plugin needs: other plugins' refs (it starts after their providers) or `coreServices.*`. */
  deps?: D;
  /**
   * Services used when installed (e.g. scorecards reading TechDocs build status). The plugin
   * starts after their providers when present, and without them otherwise.
   */
  optionalDeps?: O;
  /** The service this plugin offers to others; setup() must return it. */
  provides?: ServiceRef<P>;
  /** OpenAPI paths this plugin serves, relative to `/api/<id>` (and the components its routes' `$ref`s name). */
  openapi?: OpenApiFragment;
  /**
   * Routes declared with defineRoute: the host adds their operations to the OpenAPI document;
   * setup() mounts them with `mountRoutes(ctx, routes, services)`.
   */
  routes?: readonly RouteDefinition[];
  /** The permissions this plugin checks (definePermission): the host's permission catalogue and policy validation read them. */
  permissions?: readonly PermissionDefinition[];
  setup(ctx: PluginContext<C, D, O>): Promise<P> | P;
  /** Reported on /readyz and on the system page. */
  health?(): Promise<HealthReport> | HealthReport;
}

export type BackendPlugin = BackendPluginDefinition<any, any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function definePlugin<
  C = unknown,
  D extends Record<string, ServiceRef<unknown>> = Record<string, never>,
  P = void,
  O extends Record<string, ServiceRef<unknown>> = Record<string, never>,
>(definition: BackendPluginDefinition<C, D, P, O>): BackendPluginDefinition<C, D, P, O> {
  if (!/^[a-z][a-z0-9-]{0,40}$/.test(definition.id)) {
    throw new Error(`Invalid plugin id "${definition.id}": use lowercase letters, digits and dashes`);
  }
  return definition;
}
