import type { BackendPlugin, Caller, ConfigService } from '@atrium/backend-plugin-api';
import { NotFoundError } from '@atrium/backend-plugin-api';
import { GUEST_CALLER } from '../auth/hostAuth.js';
import { resolveOwnership, type EntityLookup } from '../auth/ownership.js';
import { PermissionCatalogue } from './catalogue.js';
import type { PolicyEntity } from './entityConditions.js';
import { PolicyEvaluator } from './evaluator.js';
import { checkPolicy } from './validatePolicy.js';

/** The catalog's in-process lookup, found when it is running. */
export type CatalogFinder = () => (EntityLookup & { getEntitiesByRefs(refs: string[]): Promise<Array<PolicyEntity | undefined>> }) | undefined;

/**
 * The host's permission engine: the catalogue of declared permissions, the validated policy
 * (undefined: none configured, everything allowed) and callers for `explain`.
 */
export class PermissionEngine {
  readonly evaluator: PolicyEvaluator | undefined;

  constructor(
    readonly catalogue: PermissionCatalogue,
    config: ConfigService,
    private readonly catalog: CatalogFinder,
  ) {
    const policy = checkPolicy(config, catalogue);
    this.evaluator = policy ? new PolicyEvaluator(policy, catalogue) : undefined;
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
