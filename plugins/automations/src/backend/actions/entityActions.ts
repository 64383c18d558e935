import type { AuditService, Caller, Logger } from '@atrium/backend-plugin-api';
import { ANNOTATION_ORIGIN_LOCATION, parseEntityRef, stringifyEntityRef, type Entity } from '@atrium/catalog-model';
import type { CatalogService } from '@atrium/plugin-catalog/backend';
import type { ScaffolderActionsService } from '@atrium/plugin-scaffolder/backend';
import type { AnnotateActionSpec, ScaffolderActionSpec } from '../../common/index.js';

/** The parts of a delivery row these actions read (structurally a `DeliveryRow`). */
export interface ActionDelivery {
  id: string;
  automation_id: string;
  action_type: string;
  idempotency_key: string;
  request: Record<string, unknown>;
}

/** One attempt's result (structurally an `AttemptOutcome` of the delivery worker). */
export interface ActionOutcome {
  ok: boolean;
  retryable: boolean;
  durationMs: number;
  error?: string;
  response?: string;
}

/** What the annotate action asks for, rendered when the run is created. */
export interface AnnotateRequest {
  entityRef: string;
  set: { annotations: Record<string, string>; labels: Record<string, string> };
  remove: { annotations: string[]; labels: string[] };
}

/** What the scaffolder action asks for, rendered when the run is created. */
export interface ScaffolderRequest {
  templateRef: string;
  values: Record<string, unknown>;
  /** The hop count the task's outcome events carry (loop counting). */
  hop: number;
}

const strings = (v: unknown): Record<string, string> =>
  v && typeof v === 'object'
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, typeof x === 'string' ? x : JSON.stringify(x)]))
    : {};
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

function canonicalRef(raw: string, where: string, defaultKind?: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(raw, defaultKind ? { defaultKind } : {}));
  } catch (e) {
    throw new Error(`${where}: ${JSON.stringify(raw)} is not an entity ref (${(e as Error).message})`);
  }
}

/** The rendered request of an annotate action: the target (the event's entity by default) and the changes. */
export function renderAnnotate(spec: AnnotateActionSpec, t: (key: string) => unknown, eventEntityRef: string | undefined): AnnotateRequest {
  const target = spec.entityRef !== undefined ? String(t('entityRef')) : eventEntityRef;
  if (!target) throw new Error('annotate: the event concerns no entity; set entityRef');
  return {
    entityRef: canonicalRef(target, 'annotate: entityRef'),
    set: { annotations: strings(t('annotations')), labels: strings(t('labels')) },
    remove: { annotations: list(t('removeAnnotations')), labels: list(t('removeLabels')) },
  };
}

export function renderScaffolder(spec: ScaffolderActionSpec, t: (key: string) => unknown, hop: number): ScaffolderRequest {
  const values = t('values');
  return {
    templateRef: canonicalRef(spec.template, 'scaffolder: template', 'template'),
    values: values && typeof values === 'object' && !Array.isArray(values) ? (values as Record<string, unknown>) : {},
    hop,
  };
}

/** Whether the entity already has every change asked for (then there is nothing to write). */
export function alreadyAnnotated(entity: Entity, r: AnnotateRequest): boolean {
  const annotations = entity.metadata.annotations ?? {};
  const labels = entity.metadata.labels ?? {};
  return (
    Object.entries(r.set.annotations).every(([k, v]) => annotations[k] === v) &&
    Object.entries(r.set.labels).every(([k, v]) => labels[k] === v) &&
    r.remove.annotations.every((k) => !(k in annotations)) &&
    r.remove.labels.every((k) => !(k in labels))
  );
}

/**
 * Why the catalog will not take an annotation or label from an automation for this entity.
 * The catalog's only writers are the entity's own source: the descriptor file of its location
 * (re-read on every refresh) or the entity provider that owns it (which replaces it on every
 * sync). It has no overlay for metadata set by someone else, so a change made behind the
 * source's back would be lost; it is refused with where to change it instead.
 */
export function annotateRefusal(entity: Entity, ref: string): string {
  const origin = entity.metadata.annotations?.[ANNOTATION_ORIGIN_LOCATION] ?? '';
  if (origin.startsWith('provider:'))
    return `${ref} is owned by the entity provider ${origin.slice('provider:'.length)}: only that provider writes it (the next sync would undo the change); set it at the provider's source`;
  return `${ref} is read from ${origin || 'a catalog location'}, a descriptor file in source control: the catalog takes its annotations and labels from that file on every read, so they are changed there (for example with a webhook action that opens a pull request)`;
}

export interface EntityActionDeps {
  catalog: CatalogService;
  scaffolder: ScaffolderActionsService | undefined;
  audit: AuditService;
  logger: Logger;
  /** The automations plugin's own identity: tasks are created by it (`plugin:automations`). */
  caller: Caller;
}

/** Runs the `annotate` and `scaffolder` actions of deliveries, and checks them for dry runs. */
export class EntityActions {
  constructor(private readonly deps: EntityActionDeps) {}

  handles(type: string): boolean {
    return type === 'annotate' || type === 'scaffolder';
  }

  async attempt(row: ActionDelivery): Promise<ActionOutcome> {
    const started = performance.now();
    const took = () => Math.round(performance.now() - started);
    if (row.action_type === 'annotate') {
      const r = row.request as unknown as AnnotateRequest;
      const outcome = await this.annotate(r);
      await this.deps.audit.record({
        actor: this.deps.caller,
        action: 'automations.entity.annotate',
        target: r.entityRef,
        outcome: outcome.ok ? 'succeeded' : 'failed',
        meta: { automation: row.automation_id, delivery: row.id, set: r.set, remove: r.remove, ...(outcome.error ? { reason: outcome.error } : {}) },
      });
      return { ...outcome, retryable: false, durationMs: took() };
    }
    const { scaffolder, caller, audit } = this.deps;
    if (!scaffolder) return { ok: false, retryable: false, durationMs: 0, error: 'the scaffolder plugin is not installed' };
    const r = row.request as unknown as ScaffolderRequest;
    try {
      const result = await scaffolder.createTask(
        { templateRef: r.templateRef, values: r.values },
        // One task per delivery, however often it is attempted (a replica dying mid-call included).
        { caller, idempotencyKey: row.idempotency_key, startedBy: { automation: row.automation_id, delivery: row.id, hop: r.hop } },
      );
      if (!result.existed)
        await audit.record({
          actor: caller,
          action: 'automations.scaffolder.run',
          target: result.id ?? r.templateRef,
          meta: { automation: row.automation_id, delivery: row.id, templateRef: r.templateRef },
        });
      return {
        ok: true,
        retryable: false,
        durationMs: took(),
        response: JSON.stringify({
          taskId: result.id,
          ...(result.existed ? { existed: true } : {}),
          ...(result.awaitingApproval ? { awaitingApproval: true } : {}),
        }),
      };
    } catch (e) {
      // A 4xx (no such template, values that fail it, not allowed) will not get better; anything else may.
      const status = (e as { statusCode?: unknown }).statusCode;
      const refused = typeof status === 'number' && status >= 400 && status < 500;
      return { ok: false, retryable: !refused, durationMs: took(), error: `${r.templateRef}: ${(e as Error).message}` };
    }
  }

  /** For a dry run: why the action would fail now (undefined: it would run). Nothing is written or started. */
  async check(type: string, request: Record<string, unknown>): Promise<string | undefined> {
    if (type === 'annotate') return (await this.annotate(request as unknown as AnnotateRequest, true)).error;
    if (type !== 'scaffolder') return undefined;
    if (!this.deps.scaffolder) return 'the scaffolder plugin is not installed';
    const r = request as unknown as ScaffolderRequest;
    try {
      await this.deps.scaffolder.createTask({ templateRef: r.templateRef, values: r.values }, { caller: this.deps.caller, dryRun: true });
      return undefined;
    } catch (e) {
      return `${r.templateRef}: ${(e as Error).message}`;
    }
  }

  private async annotate(r: AnnotateRequest, dryRun = false): Promise<{ ok: boolean; error?: string; response?: string }> {
    const entity = await this.deps.catalog.getEntityByRef(r.entityRef);
    if (!entity) return { ok: false, error: `${r.entityRef} is not in the catalog` };
    if (alreadyAnnotated(entity, r))
      return { ok: true, response: JSON.stringify({ entityRef: r.entityRef, changed: false, note: 'already as asked; nothing to write' }) };
    const refusal = annotateRefusal(entity, r.entityRef);
    if (!dryRun) this.deps.logger.info({ entityRef: r.entityRef, reason: refusal }, 'automations: annotate refused');
    return { ok: false, error: `not annotated: ${refusal}` };
  }
}
