import type { LocationError } from '../../common/index.js';
import { rows, type Db } from './sql.js';

/**
 * Entities whose final form could not be stored (see stitchPending), as location errors, for the
 * entities of one location or one entity provider. `owner` names a fixed column, never input.
 */
export async function stitchErrorsOf(db: Db, owner: { locationId: string } | { provider: string }, limit = 100): Promise<LocationError[]> {
  const [column, value] = 'locationId' in owner ? ['location_id', owner.locationId] : ['provider', owner.provider];
  const found = await rows<{ entity_ref: string; source_file: string | null; stitch_error: string }>(
    db,
    `select entity_ref, source_file, stitch_error from entities where ${column} = ? and stitch_error is not null order by entity_ref limit ?`,
    [value, limit],
  );
  return found.map((f) => ({
    name: 'StitchError',
    kind: 'stitch',
    message: `Entity ${f.entity_ref} could not be stored for serving, so the catalog shows its previous version or none: ${f.stitch_error}`,
    ...(f.source_file ? { file: f.source_file } : {}),
    entityRef: f.entity_ref,
  }));
}
