import type { AuditService, BackendPlugin, Caller, ConfigService, Logger } from '@atrium/backend-plugin-api';
import { NotFoundError } from '@atrium/backend-plugin-api';
import { GUEST_CALLER } from '../auth/hostAuth.js';
import { resolveOwnership, type EntityLookup } from '../auth/ownership.js';
import { PermissionCatalogue } from './catalogue.js';
import type { PolicyEntity } from './entityConditions.js';
import { PolicyEvaluator } from './evaluator.js';
import { checkPolicy } from './validatePolicy.js';
import { mergePolicies, PolicyEntities, trustedPolicyOrigins, type PolicyCatalog, type PolicySourceStatus } from './policyEntities.js';
import type { PermissionPolicy } from './policyTypes.js';

/** The catalog's in-process lookup, found when it is running. */
export type CatalogFinder = () => (EntityLookup & { getEntitiesByRefs(refs: string[]): Promise<Array<PolicyEntity | undefined>> }) | undefined;

/**
 * The host's permission engine: the catalogue of declared permissions, the validated policy
 * (undefined: none configured, everything allowed) and callers for `explain`.
 */
export class PermissionEngine {
  private current: PolicyEvaluator | undefined;
  private readonly basePolicy: PermissionPolicy | undefined;
  /** Origins (`file:/abs/policies.yaml`) whose Policy entities are honoured: `permission.trustedLocations`. */
  readonly trustedPolicyOrigins: ReadonlySet<string>;
  private policyEntities: PolicyEntities | undefined;

  constructor(
    readonly catalogue: PermissionCatalogue,
    config: ConfigService,
    private readonly catalog: CatalogFinder,
  ) {
    this.basePolicy = checkPolicy(config, catalogue);
    this.trustedPolicyOrigins = trustedPolicyOrigins(config);
    this.current = this.basePolicy ? new PolicyEvaluator(this.basePolicy, catalogue) : undefined;
  }

  /** The policy in force: the config's, extended by the trusted Policy entities read so far (undefined: none, allow all). */
  get evaluator(): PolicyEvaluator | undefined {
    return this.current;
  }

  /**
   * Once the catalog runs: reads the Policy entities of trusted locations and follows their
   * changes (hot reload). Nothing to do without `permission.trustedLocations`.
   */
  async watchPolicyEntities(deps: { audit: AuditService; logger: Logger; actor: Caller }): Promise<void> {
    const base = this.basePolicy;
    const catalog = this.catalog() as unknown as PolicyCatalog | undefined;
    if (!base || this.trustedPolicyOrigins.size === 0 || !catalog || typeof catalog.onEntityChange !== 'function') return;
    this.policyEntities = new PolicyEntities({
      trustedOrigins: this.trustedPolicyOrigins,
      base,
      catalogue: this.catalogue,
      apply: (policies) => {
        this.current = new PolicyEvaluator(mergePolicies(base, policies), this.catalogue);
      },
      ...deps,
    });
    try {
      await this.policyEntities.start(catalog);
    } catch (e) {
      // The config policy stays in force; changes heard from now on are still applied.
      deps.logger.error({ err: e }, 'permissions: reading the Policy entities failed; the config policy is in force');
    }
  }

  /** The Policy entities seen, and what became of each (GET /api/permissions/policies). */
  policySources(): PolicySourceStatus[] {
    return this.policyEntities?.list() ?? [];
  }

  /** Settles when every Policy entity change heard so far is applied (tests). */
  async policyEntitiesIdle(): Promise<void> {
    await this.policyEntities?.idle();
  }

  stopWatching(): void {
    this.policyEntities?.stop();
  }

  static create(plugins: readonly BackendPlugin[], config: ConfigService, catalog: CatalogFinder): PermissionEngine {
    return new PermissionEngine(PermissionCatalogue.fromPlugins(plugins), config, catalog);
  }

  /** Entities from the catalog by ref, in order (undefined where there is none, or no catalog running). */
  async findEntities(refs: string[]): Promise<Array<PolicyEntity | undefined>> {
    const catalog = this.catalog();
    return catalog ? catalog.getEntitiesByRefs(refs) : refs.map(() => undefined);
  }

  /**
   * The caller a user would be when signed in (ownership through the groups of `trustedOrigins`,
   * the host auth module's set), or the guest for `guest` / `user:default/guest`. A user the
   * catalog does not have → 404.
   */
  async callerFor(user: string, trustedOrigins: ReadonlySet<string>): Promise<Caller> {
    const ref = user.trim().toLowerCase();
    if (ref === 'guest' || ref === GUEST_CALLER.userEntityRef) return GUEST_CALLER;
    const canonical = ref.startsWith('user:') ? (ref.includes('/') ? ref : `user:default/${ref.slice(5)}`) : ref.includes(':') ? ref : `user:default/${ref}`;
    if (!canonical.startsWith('user:')) throw new NotFoundError(`${user} is not a user ref (write user:default/<name>)`);
    const [entity] = await this.findEntities([canonical]);
    if (!entity) throw new NotFoundError(`No user named ${canonical} in the catalog`);
    const ownershipEntityRefs = await resolveOwnership(canonical, this.catalog(), trustedOrigins);
    return { type: 'user', userEntityRef: canonical, ownershipEntityRefs, displayName: entity.metadata?.name ?? canonical };
  }
}
