import path from 'node:path';
import { InputError, inputValidator, type AuditService, type Caller, type ConfigService, type JsonSchema, type Logger } from '@atrium/backend-plugin-api';
import { StartupError } from '../host/StartupError.js';
import type { PermissionCatalogue } from './catalogue.js';
import { permissionConfigSchema } from './policyConfigSchema.js';
import type { PermissionPolicy, PolicyRule } from './policyTypes.js';
import { policyProblems } from './validatePolicy.js';

/** The kind of catalog entity that carries policy (`spec` has the shape of `permission.policy`). */
export const POLICY_KIND = 'Policy';
const ORIGIN_ANNOTATION = 'backstage.io/managed-by-origin-location';

/** A Policy entity as the engine reads it. */
export interface PolicyEntityLike {
  kind?: string;
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> };
  spec?: unknown;
}

/** What became of one Policy entity: in force, refused (the last good version stays in force), or ignored (untrusted location). */
export interface PolicySourceStatus {
  entityRef: string;
  status: 'active' | 'rejected' | 'ignored';
  /** The location the entity was read from (its origin). */
  origin: string | null;
  /** Why it was refused or ignored. */
  error?: string;
  /** Whether an earlier, valid version is still in force (rejected only). */
  lastGoodInForce?: boolean;
  /** Rules it adds to the effective policy (the version in force). */
  rules: number;
  /** When the version in force was loaded. */
  loadedAt?: string;
}

/**
 * `permission.trustedLocations`, resolved as the catalog resolves `catalog.locations` (a file
 * target relative to the config file that names it): the origins whose Policy entities are
 * honoured. Each must also be one of `catalog.locations`, so that a location someone registers
 * through the API or UI can never be one: otherwise the start is refused, naming file and key.
 */
export function trustedPolicyOrigins(config: ConfigService): Set<string> {
  const listed = (config.get('permission.trustedLocations') as Array<{ type: string; target: string }> | undefined) ?? [];
  if (listed.length === 0) return new Set();
  const resolve = (key: string, { type, target }: { type: string; target: string }) =>
    `${type}:${type === 'file' ? path.resolve(config.baseDirOf(key), target) : target}`;
  const catalogLocations = ((config.get('catalog.locations') as Array<{ type?: string; target?: string }> | undefined) ?? []).flatMap((l) =>
    typeof l.type === 'string' && typeof l.target === 'string' ? [resolve('catalog.locations', { type: l.type, target: l.target })] : [],
  );
  const origins = new Set<string>();
  listed.forEach((location, i) => {
    const origin = resolve('permission.trustedLocations', location);
    if (!catalogLocations.includes(origin)) {
      const key = `permission.trustedLocations.${i}`;
      throw new StartupError(
        `Invalid permission policy: ${config.originOf(key) ?? 'the defaults'}: ${key}: ${origin} is not one of catalog.locations; only a location the config registers can carry Policy entities`,
      );
    }
    origins.add(origin);
  });
  if (!config.get('permission.policy')) {
    throw new StartupError(
      `Invalid permission policy: ${config.originOf('permission.trustedLocations') ?? 'the defaults'}: permission.trustedLocations: Policy entities extend permission.policy, which is not configured (the base policy applies until they are read)`,
    );
  }
  return origins;
}

const validateShape = inputValidator<PermissionPolicy>((permissionConfigSchema['properties'] as Record<string, JsonSchema>)['policy'] as JsonSchema, 'body');

/**
 * Checks a Policy entity's spec: the shape (unknown conditions and keys included) and, against
 * the catalogue, permissions, roles (the config's and its own), conditions and rule ids. Returns
 * the policy with rule ids prefixed by the entity ref (`policy:default/x:owners`, or the rule's
 * number), or throws an Error naming each problem by its key under `spec`.
 */
export function checkPolicyEntity(entityRef: string, spec: unknown, base: PermissionPolicy, catalogue: PermissionCatalogue): PermissionPolicy {
  let policy: PermissionPolicy;
  try {
    policy = validateShape(spec ?? {});
  } catch (e) {
    if (e instanceof InputError) {
      const errors = ((e.details as { errors?: Array<{ path: string; message: string }> } | undefined)?.errors ?? []).map(
        (x) => `${x.path.replace(/^body/, 'spec')}: ${x.message}`,
      );
      throw new Error(errors.length > 0 ? errors.join('; ') : e.message);
    }
    throw e;
  }
  const roles = { ...(base.roles ?? {}), ...(policy.roles ?? {}) };
  const problems = policyProblems({ ...policy, roles }, catalogue, () => entityRef).map((p) => p.replace(/permission\.policy\./g, 'spec.'));
  if (problems.length > 0) throw new Error(problems.join('; '));
  return {
    ...(policy.roles ? { roles: policy.roles } : {}),
    rules: policy.rules.map((rule: PolicyRule, i) => ({ ...rule, id: `${entityRef}:${rule.id ?? String(i + 1)}` })),
  };
}

/** The config policy, then each entity's rules (by entity ref); a role's members are the union of its definitions. */
export function mergePolicies(base: PermissionPolicy, entities: ReadonlyMap<string, PermissionPolicy>): PermissionPolicy {
  const roles: Record<string, { members: string[] }> = {};
  const rules: PolicyRule[] = [...base.rules];
  const addRoles = (from: PermissionPolicy) => {
    for (const [name, role] of Object.entries(from.roles ?? {})) roles[name] = { members: [...new Set([...(roles[name]?.members ?? []), ...role.members])] };
  };
  addRoles(base);
  for (const ref of [...entities.keys()].sort()) {
    const policy = entities.get(ref) as PermissionPolicy;
    addRoles(policy);
    rules.push(...policy.rules);
  }
  return { roles, rules };
}

/** The part of the catalog's in-process API the Policy entities are read through. */
export interface PolicyCatalog {
  getEntities(request: { filter: Record<string, string> }): Promise<{ items: unknown[] }>;
  getEntityByRef(ref: string): Promise<unknown>;
  onEntityChange(handler: (change: { type: 'upserted' | 'removed'; entityRef: string }) => void | Promise<void>): () => void;
}

/**
 * Follows the catalog's Policy entities: honoured only from trusted origins, validated, and
 * hot-reloaded when one changes. A version that fails validation is refused and the last good
 * version of that entity stays in force. Calls `apply` with the entities' policies after each change.
 */
export class PolicyEntities {
  private readonly good = new Map<string, { policy: PermissionPolicy; loadedAt: string }>();
  private readonly status = new Map<string, PolicySourceStatus>();
  private unsubscribe: (() => void) | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly o: {
      trustedOrigins: ReadonlySet<string>;
      base: PermissionPolicy;
      catalogue: PermissionCatalogue;
      apply(policies: ReadonlyMap<string, PermissionPolicy>): void;
      audit: AuditService;
      actor: Caller;
      logger: Logger;
    },
  ) {}

  /** Subscribes to entity changes, then reads the Policy entities already stored. */
  async start(catalog: PolicyCatalog): Promise<void> {
    this.unsubscribe = catalog.onEntityChange((change) => {
      if (!change.entityRef.toLowerCase().startsWith('policy:')) return;
      // One change at a time, in order: the policy in force follows the catalog's last word.
      this.chain = this.chain
        .then(() => this.onChange(catalog, change))
        .catch((e: unknown) => this.o.logger.warn({ err: e }, 'permissions: reading a Policy entity failed'));
      return this.chain;
    });
    const { items } = await catalog.getEntities({ filter: { kind: POLICY_KIND.toLowerCase() } });
    for (const entity of items as PolicyEntityLike[]) await this.consider(entity);
    this.publish();
  }

  stop(): void {
    this.unsubscribe?.();
  }

  /** Settles when every change heard so far is applied. */
  idle(): Promise<void> {
    return this.chain;
  }

  list(): PolicySourceStatus[] {
    return [...this.status.values()].sort((a, b) => a.entityRef.localeCompare(b.entityRef));
  }

  private async onChange(catalog: PolicyCatalog, change: { type: 'upserted' | 'removed'; entityRef: string }): Promise<void> {
    const ref = change.entityRef.toLowerCase();
    const entity = change.type === 'upserted' ? ((await catalog.getEntityByRef(ref)) as PolicyEntityLike | undefined) : undefined;
    if (!entity) {
      const had = this.good.delete(ref);
      this.status.delete(ref);
      if (had) {
        await this.record('permission.policy.remove', ref, 'succeeded', {});
        this.publish();
      }
      return;
    }
    if (await this.consider(entity)) this.publish();
  }

  /** Validates one entity; returns whether the policy in force changed. */
  private async consider(entity: PolicyEntityLike): Promise<boolean> {
    const ref = `policy:${(entity.metadata?.namespace ?? 'default').toLowerCase()}/${(entity.metadata?.name ?? '').toLowerCase()}`;
    const origin = entity.metadata?.annotations?.[ORIGIN_ANNOTATION] ?? null;
    if (!origin || !this.o.trustedOrigins.has(origin)) {
      const had = this.good.delete(ref);
      const error = `read from ${origin ?? 'an unknown location'}, which permission.trustedLocations does not list: a Policy entity is honoured only from a trusted location`;
      if (this.status.get(ref)?.status !== 'ignored') {
        this.o.logger.warn({ entityRef: ref, origin }, `permissions: Policy entity ${ref} ignored: ${error}`);
        await this.record('permission.policy.ignore', ref, 'denied', { origin, reason: error });
      }
      this.status.set(ref, { entityRef: ref, status: 'ignored', origin, error, rules: 0 });
      return had;
    }
    try {
      const policy = checkPolicyEntity(ref, entity.spec, this.o.base, this.o.catalogue);
      const before = JSON.stringify(this.good.get(ref)?.policy);
      if (before === JSON.stringify(policy) && this.status.get(ref)?.status === 'active') return false;
      const loadedAt = new Date().toISOString();
      this.good.set(ref, { policy, loadedAt });
      this.status.set(ref, { entityRef: ref, status: 'active', origin, rules: policy.rules.length, loadedAt });
      this.o.logger.info({ entityRef: ref, rules: policy.rules.length }, `permissions: Policy entity ${ref} in force`);
      await this.record('permission.policy.load', ref, 'succeeded', { origin, rules: policy.rules.length });
      return true;
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      const lastGood = this.good.get(ref);
      this.status.set(ref, {
        entityRef: ref,
        status: 'rejected',
        origin,
        error,
        lastGoodInForce: Boolean(lastGood),
        rules: lastGood?.policy.rules.length ?? 0,
        ...(lastGood ? { loadedAt: lastGood.loadedAt } : {}),
      });
      this.o.logger.warn(
        { entityRef: ref, error },
        `permissions: Policy entity ${ref} refused${lastGood ? ' (its last good version stays in force)' : ''}: ${error}`,
      );
      await this.record('permission.policy.reject', ref, 'failed', { origin, error, lastGoodInForce: Boolean(lastGood) });
      return false;
    }
  }

  private publish(): void {
    this.o.apply(new Map([...this.good].map(([ref, g]) => [ref, g.policy])));
  }

  private async record(action: string, target: string, outcome: 'succeeded' | 'failed' | 'denied', meta: Record<string, unknown>): Promise<void> {
    await this.o.audit.record({ actor: this.o.actor, action, target, outcome, meta });
  }
}
