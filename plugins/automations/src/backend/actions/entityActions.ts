import type { AuditService, Caller, Logger } from '@atrium/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef, type Entity } from '@atrium/catalog-model';
import type { CatalogService, EntityOverlayChanges } from '@atrium/plugin-catalog/backend';
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
  /** The hop count the entity's resulting update event carries (loop counting); absent in runs made before it existed. */
  hop?: number;
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
export function renderAnnotate(spec: AnnotateActionSpec, t: (key: string) => unknown, eventEntityRef: string | undefined, hop: number): AnnotateRequest {
  const target = spec.entityRef !== undefined ? String(t('entityRef')) : eventEntityRef;
  if (!target) throw new Error('annotate: the event concerns no entity; set entityRef');
  return {
    entityRef: canonicalRef(target, 'annotate: entityRef'),
    set: { annotations: strings(t('annotations')), labels: strings(t('labels')) },
    remove: { annotations: list(t('removeAnnotations')), labels: list(t('removeLabels')) },
    hop,
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

/** What the action asks of the catalog's metadata overlay: values to set, `null` for keys to remove. */
export function overlayChanges(r: AnnotateRequest): EntityOverlayChanges {
  const removed = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, null]));
  return {
    annotations: { ...r.set.annotations, ...removed(r.remove.annotations) },
    labels: { ...r.set.labels, ...removed(r.remove.labels) },
  };
}

/**
 * Whose overlay an automation writes: one per automation, so each can only undo its own. (The
 * catalog takes letters, digits and `._:/@-`, at most 200; a config id with anything else is folded.)
 */
export const overlaySource = (automationId: string) => `automation:${automationId.replace(/[^A-Za-z0-9._:/@-]/g, '_')}`.slice(0, 200);

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
      const outcome = await this.annotate(r, row.automation_id);
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
    if (type === 'annotate') return (await this.annotate(request as unknown as AnnotateRequest, 'dry-run', true)).error;
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

  /**
   * Writes the change into the entity's metadata overlay (source `automation:<id>`) through the
   * catalog, which checks the keys, refuses keys the entity's own source sets (naming where to
   * change them), audits the write and re-stitches the entity. Nothing is written when the entity
   * already is as asked; a dry run checks the same things and writes nothing.
   */
  private async annotate(r: AnnotateRequest, automationId: string, dryRun = false): Promise<{ ok: boolean; error?: string; response?: string }> {
    const { catalog, caller } = this.deps;
    const entity = await catalog.getEntityByRef(r.entityRef);
    if (!entity) return { ok: false, error: `${r.entityRef} is not in the catalog` };
    if (alreadyAnnotated(entity, r))
      return { ok: true, response: JSON.stringify({ entityRef: r.entityRef, changed: false, note: 'already as asked; nothing to write' }) };
    const source = overlaySource(automationId);
    try {
      const result = await catalog.setEntityOverlay(r.entityRef, overlayChanges(r), {
        actor: caller,
        source,
        ...(dryRun ? { dryRun: true } : {}),
        ...(r.hop !== undefined ? { hop: r.hop } : {}),
      });
      if (dryRun) return { ok: true };
      // The write succeeded. The entity read after it may still differ: another source's overlay
      // sets those keys, or a later change (a run of this automation on the next update, say)
      // came in between; the response says so rather than failing a write that happened.
      const shows = Boolean(result.entity && alreadyAnnotated(result.entity, r));
      return {
        ok: true,
        response: JSON.stringify({
          entityRef: r.entityRef,
          changed: true,
          source,
          overlay: result.overlay,
          ...(shows ? {} : { note: `${r.entityRef} shows other values for some of these keys now (another source's overlay, or a later change)` }),
        }),
      };
    } catch (e) {
      const reason = (e as Error).message;
      if (!dryRun) this.deps.logger.info({ entityRef: r.entityRef, reason }, 'automations: annotate refused');
      return { ok: false, error: `not annotated: ${reason}` };
    }
  }
}
