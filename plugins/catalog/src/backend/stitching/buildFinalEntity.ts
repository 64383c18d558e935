import { ANNOTATION_ORPHAN, type Entity, type EntityRelation, type EntityStatusItem } from '@atrium/catalog-model';
import { ENTITY_STATUS_OVERLAY_TYPE, ENTITY_STATUS_UNRESOLVED_RELATIONS_TYPE, type EntityOverlay } from '../../common/index.js';
import { mergeOverlays } from '../overlays/overlayRules.js';
import { fastHashOf } from './hash.js';

export interface StitchInput {
  uid: string;
  /** The entity as processed: validated, defaults applied, no relations, status, uid or etag. */
  processed: Entity;
  /** Every relation whose source is this entity, forward and inverse, possibly with duplicates. */
  relations: EntityRelation[];
  /** Processing errors kept on the entity (e.g. its newest version is invalid). */
  errors: EntityStatusItem[];
  orphan: boolean;
  /** Relation targets that are not in the catalog. */
  unresolvedTargets: string[];
  /** Metadata overlays of the entity (entity_overlays), oldest first; null or absent when there are none. */
  overlays?: EntityOverlay[] | null;
}

/**
 * The entity served by the API: the processed entity plus its relations in both directions
 * (distinct, sorted by type then target), the annotations and labels of its metadata overlays
 * that its source does not set (see mergeOverlays; a differing value is a status warning),
 * status items, the orphan annotation when no location yields it any more, its stable uid and
 * an etag that is the hash of all of that.
 */
export function buildFinalEntity(input: StitchInput): Entity {
  const { processed } = input;
  const seen = new Set<string>();
  const relations: EntityRelation[] = [];
  for (const r of input.relations) {
    const key = `${r.type}\u0000${r.targetRef}`;
    if (seen.has(key)) continue;
    seen.add(key);
    relations.push({ type: r.type, targetRef: r.targetRef });
  }
  relations.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : a.targetRef < b.targetRef ? -1 : a.targetRef > b.targetRef ? 1 : 0));

  const { uid: _uid, etag: _etag, ...meta } = processed.metadata;
  const metadata: Entity['metadata'] = { ...meta, uid: input.uid };
  const overlaid = input.overlays?.length ? mergeOverlays(meta, input.overlays) : undefined;
  if (overlaid?.annotations) metadata.annotations = overlaid.annotations;
  if (overlaid?.labels) metadata.labels = overlaid.labels;
  if (input.orphan) metadata.annotations = { ...(metadata.annotations ?? {}), [ANNOTATION_ORPHAN]: 'true' };

  const items: EntityStatusItem[] = [...input.errors];
  if (input.unresolvedTargets.length > 0) {
    const missing = [...new Set(input.unresolvedTargets)].sort();
    items.push({
      type: ENTITY_STATUS_UNRESOLVED_RELATIONS_TYPE,
      level: 'warning',
      message: `Related entities not found in the catalog: ${missing.join(', ')}`,
    });
  }
  if (overlaid && overlaid.conflicts.length > 0) {
    items.push({
      type: ENTITY_STATUS_OVERLAY_TYPE,
      level: 'warning',
      message: `Metadata overlay not applied where the entity's source sets the key: ${overlaid.conflicts.join('; ')}`,
    });
  }
  const { relations: _r, status: _s, ...rest } = processed;
  const final: Entity = { ...rest, metadata, relations };
  if (items.length > 0) final.status = { items };
  final.metadata.etag = fastHashOf(final);
  return final;
}
