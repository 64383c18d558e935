import path from 'node:path';
import { InputError, NotAllowedError, NotFoundError } from '@atrium/backend-plugin-api';
import type { CatalogContext } from '../catalogContext.js';
import { isUnderRoots } from '../config.js';
import type { LocationSpec } from '../ingestion/index.js';
import type { LocationRow } from '../store/locationsStore.js';

/** The location with this id, or a 404. */
export async function locationOrNotFound(ctx: Pick<CatalogContext, 'locations'>, id: string): Promise<LocationRow> {
  const row = await ctx.locations.get(id);
  if (!row) throw new NotFoundError(`Found no location with ID ${id}`);
  return row;
}

/** Why a location from the config file cannot be changed or removed through the API (403). */
export function configured(row: { type: string; target: string }): NotAllowedError {
  return new NotAllowedError(`Location ${row.type}:${row.target} is defined in the catalog.locations config; change the config file to remove or change it`);
}

/**
 * Normalises a target and refuses what may not be registered through the API: relative or
 * out-of-root file paths (only `backend.reading.fileRoots` may be read) and non-http URLs.
 */
export function checkTarget(
  ctx: Pick<CatalogContext, 'settings'>,
  spec: { type: LocationSpec['type']; target: string; presence?: 'required' | 'optional' },
): LocationSpec {
  const target = spec.target.trim();
  if (target.includes('\u0000')) throw new InputError('location.target must not contain a NUL character');
  if (spec.type === 'file') {
    if (!path.isAbsolute(target)) throw new InputError(`File location target must be an absolute path, got "${target}"`);
    const roots = ctx.settings.fileRoots;
    if (!isUnderRoots(target, roots)) {
      throw new NotAllowedError(
        roots.length === 0
          ? `File location ${target} cannot be registered: no directory may be read (backend.reading.fileRoots is empty); add its directory to backend.reading.fileRoots to allow it`
          : `File location ${target} is outside the allowed roots (${roots.join(', ')}); add its directory to backend.reading.fileRoots to allow it`,
      );
    }
    return { type: 'file', target: path.resolve(target), ...(spec.presence ? { presence: spec.presence } : {}) };
  }
  if (spec.type === 'url') {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new InputError(`The given location.target is not a URL: "${target}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InputError(`URL locations must use http or https, got "${target}"`);
  }
  return { type: spec.type, target, ...(spec.presence ? { presence: spec.presence } : {}) };
}
