import { ConflictError, InputError, NotFoundError, type Caller } from '@atrium/backend-plugin-api';
import { ANNOTATION_LOCATION, ANNOTATION_ORIGIN_LOCATION, parseEntityRef, stringifyEntityRef, type Entity } from '@atrium/catalog-model';
import type { EntityOverlay, EntityOverlayChanges, EntityOverlayResult } from '../../common/index.js';
import type { CatalogContext } from '../catalogContext.js';
import { markForStitch } from '../store/entityWriter.js';
import { rows, transactionWithRetry } from '../store/sql.js';
import { withStitchScope } from '../store/stitchScope.js';
import { applyOverlayChanges, overlayChangeProblems, overlaySourceProblem, sourceConflicts } from './overlayRules.js';

/** Who may set or clear an entity's metadata overlay (checked on the entity). */
export const ANNOTATE_PERMISSION = 'catalog.entity.annotate';

export interface OverlayWrite {
  /** The entity, any ref form; made canonical here. */
  ref: string;
  /** The changes; undefined clears everything this source set. */
  changes?: EntityOverlayChanges;
  actor: Caller;
  source: string;
  /** Check everything, write nothing. */
  dryRun?: boolean;
  /** Automation steps that led here (EntityOverlayOptions.hop). */
  hop?: number;
  /** The permission was checked already (a declared route checks it before its handler). */
  permissionChecked?: boolean;
}

type Maps = Pick<EntityOverlay, 'annotations' | 'labels'>;

const isEmpty = (m: Maps) => Object.keys(m.annotations).length === 0 && Object.keys(m.labels).length === 0;
const sameMaps = (a: Maps, b: Maps) => JSON.stringify(sortedMaps(a)) === JSON.stringify(sortedMaps(b));
const sortedMaps = (m: Maps) => ({ annotations: Object.entries(m.annotations).sort(), labels: Object.entries(m.labels).sort() });
const parsed = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

/** The canonical ref, or a 400 naming what is wrong with it. */
export function canonicalEntityRef(ref: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(ref)).toLowerCase();
  } catch (e) {
    throw new InputError(`Invalid entity ref ${JSON.stringify(ref)}: ${(e as Error).message}`);
  }
}

/** Where the entity's own metadata comes from, for a refusal: its descriptor file, or the provider that owns it. */
function whereToChange(processed: Entity, provider: string | null): string {
  const annotations = processed.metadata.annotations ?? {};
  const file = annotations[ANNOTATION_LOCATION] ?? annotations[ANNOTATION_ORIGIN_LOCATION];
  if (provider) {
    const read = file && !file.startsWith('provider:') ? ` (it read it from ${file})` : '';
    return `it is owned by the entity provider ${provider}${read}, which writes it on every sync, so change it at the provider's source`;
  }
  return `it is read from ${file ?? 'a catalog location'}, a descriptor file in source control, so change it there`;
}

/**
 * Sets (merges `changes` into) or clears one source's metadata overlay of an entity: the row is
 * written, the entity queued for stitching and the audit record appended in one transaction,
 * then the entity is stitched (only it: a StitchScope) before this resolves.
 */
export async function writeEntityOverlay(ctx: CatalogContext, w: OverlayWrite): Promise<EntityOverlayResult> {
  const ref = canonicalEntityRef(w.ref);
  const sourceProblem = overlaySourceProblem(w.source);
  if (sourceProblem) throw new InputError(`Invalid overlay source: ${sourceProblem}`);
  if (w.changes) {
    const problems = overlayChangeProblems(w.changes);
    if (problems.length > 0) throw new InputError(`Invalid overlay change for ${ref}: ${problems.join('; ')}`, { errors: problems });
  }
  const action = w.changes ? 'catalog.overlay.update' : 'catalog.overlay.delete';
  if (!w.permissionChecked) await ctx.permissions.assert(w.actor, { permission: ANNOTATE_PERMISSION, resourceRef: ref });

  const [entity] = await rows<{ id: string; processed: unknown; provider: string | null }>(
    ctx.db,
    `select id, processed, provider from entities where entity_ref = ?`,
    [ref],
  );
  if (!entity) throw new NotFoundError(`No entity ${ref} in the catalog`);
  const processed = parsed<Entity>(entity.processed);
  if (w.changes) {
    const conflicts = sourceConflicts(processed, w.changes);
    if (conflicts.length > 0)
      throw new ConflictError(`${ref}: ${conflicts.join('; ')}. The entity's source wins: ${whereToChange(processed, entity.provider)}`);
  }
  const readOverlay = async (db: typeof ctx.db, lock: boolean): Promise<Maps> => {
    const [row] = await rows<{ annotations: unknown; labels: unknown }>(
      db,
      `select annotations, labels from entity_overlays where entity_id = ? and source = ?${lock ? ' for update' : ''}`,
      [entity.id, w.source],
    );
    return row ? { annotations: parsed(row.annotations), labels: parsed(row.labels) } : { annotations: {}, labels: {} };
  };
  const result = (overlay: Maps, served?: Entity): EntityOverlayResult => ({
    entityRef: ref,
    overlay: { source: w.source, ...overlay },
    ...(served ? { entity: served } : {}),
  });
  if (w.dryRun) {
    const current = await readOverlay(ctx.db, false);
    return result(w.changes ? applyOverlayChanges(current, w.changes) : { annotations: {}, labels: {} });
  }

  let after: Maps = { annotations: {}, labels: {} };
  await withStitchScope(async (scope) => {
    const changed = await transactionWithRetry(ctx.db, async (trx) => {
      // Make sure a row exists to lock, so two first writes of one source merge instead of one overwriting the other.
      try {
        await trx.raw(`insert into entity_overlays (entity_id, source) values (?, ?) on conflict do nothing`, [entity.id, w.source]);
      } catch (e) {
        // The entity was deleted since it was read (foreign key violation).
        if ((e as { code?: unknown }).code === '23503') throw new NotFoundError(`No entity ${ref} in the catalog`);
        throw e;
      }
      const before = await readOverlay(trx, true);
      after = w.changes ? applyOverlayChanges(before, w.changes) : { annotations: {}, labels: {} };
      if (isEmpty(after)) await trx.raw(`delete from entity_overlays where entity_id = ? and source = ?`, [entity.id, w.source]);
      if (sameMaps(before, after)) return false;
      if (!isEmpty(after)) {
        await trx.raw(
          `update entity_overlays set annotations = ?::jsonb, labels = ?::jsonb, updated_by = ?, updated_at = now(), pending_hop = ? where entity_id = ? and source = ?`,
          [JSON.stringify(after.annotations), JSON.stringify(after.labels), w.actor.userEntityRef, validHop(w.hop), entity.id, w.source],
        );
      }
      await markForStitch(trx, [ref], [], scope);
      // Last in the transaction: audited transactions queue behind each other from their audit write.
      await ctx.audit.record(
        {
          actor: w.actor,
          action,
          target: ref,
          outcome: 'succeeded',
          meta: { source: w.source, ...(w.changes ? { changes: w.changes } : {}) },
          before,
          after,
        },
        { trx },
      );
      return true;
    });
    if (changed) await ctx.processor.stitch({ settle: true, scope });
  });
  const text = await ctx.lookup.finalTextByRef(ref);
  return result(after, text ? (JSON.parse(text) as Entity) : undefined);
}

/** A hop count to carry on (a non-negative integer), else none. */
function validHop(hop: number | undefined): number | null {
  return hop !== undefined && Number.isInteger(hop) && hop >= 0 && hop <= 1000 ? hop : null;
}
