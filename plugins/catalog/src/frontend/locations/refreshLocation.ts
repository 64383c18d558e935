import { stringifyEntityRef } from '@atrium/catalog-model';
import type { LocationStatus } from '@atrium/plugin-catalog/common';
import * as api from '../api/catalogApi';

/**
 * Reads a location again now. The catalog API refreshes entities, not locations, so this
 * refreshes the Location entity that stands for it (Backstage's `generated-…` entity), which
 * makes the server re-read the location. A registered location without one is re-read by
 * updating it to the same target.
 */
export async function refreshLocation(location: LocationStatus): Promise<void> {
  const { items } = await api.queryEntities({
    query: { $all: [{ kind: 'location' }, { 'spec.type': location.type }, { 'spec.target': location.target }] },
    fields: ['kind', 'metadata.name', 'metadata.namespace'],
    limit: 1,
    totalItems: 'exclude',
  });
  const entity = items[0];
  if (entity) return api.refreshEntity(stringifyEntityRef(entity));
  if (location.source === 'api') {
    await api.addLocation({ type: location.type as 'url', target: location.target }, { onConflict: 'refresh' });
    return;
  }
  throw new Error('This configured location has not produced a Location entity yet; it is read again at the next scheduled refresh.');
}
