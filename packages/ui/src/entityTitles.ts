import { parseEntityRef, stringifyEntityRef, type EntityRefContext } from '@atrium/catalog-model';
import { apiFetch, type EntityLike } from '@atrium/frontend-plugin-api';

/**
 * What to call an entity wherever it is shown: its title, else a user's or group's display
 * name (`spec.profile.displayName`), else its name. One rule for every page and plugin.
 */
export function entityTitleOf(entity: Pick<EntityLike, 'metadata' | 'spec'>): string {
  const profile = (entity.spec as { profile?: { displayName?: unknown } } | undefined)?.profile;
  const displayName = typeof profile?.displayName === 'string' && profile.displayName !== '' ? profile.displayName : undefined;
  const title = typeof entity.metadata.title === 'string' && entity.metadata.title !== '' ? entity.metadata.title : undefined;
  return title ?? displayName ?? entity.metadata.name;
}

/** The canonical, lower-cased form of a ref (`group:default/platform-team`), or undefined when it does not parse. */
export function canonicalRefKey(ref: string, context: EntityRefContext = {}): string | undefined {
  try {
    return stringifyEntityRef(parseEntityRef(ref, context));
  } catch {
    return undefined;
  }
}

/** Fetches entities by canonical ref, answering in the same order; null where the catalog has none. */
export type FetchEntitiesByRefs = (refs: string[]) => Promise<ReadonlyArray<EntityLike | null>>;

export interface EntityTitleLoader {
  /** The entity's title (see `entityTitleOf`), or null when the catalog has no such entity. */
  load(canonicalRef: string): Promise<string | null>;
}

/**
 * Collects the refs asked for within `windowMs` (a page renders many links at once) and asks
 * for them in one request per `maxBatch` refs, each ref once.
 */
export function createEntityTitleLoader(fetchEntities: FetchEntitiesByRefs, options: { maxBatch?: number; windowMs?: number } = {}): EntityTitleLoader {
  const maxBatch = options.maxBatch ?? 100;
  const windowMs = options.windowMs ?? 10;
  let pending = new Map<string, Array<{ resolve: (title: string | null) => void; reject: (error: unknown) => void }>>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    timer = undefined;
    const batch = pending;
    pending = new Map();
    const refs = [...batch.keys()];
    for (let start = 0; start < refs.length; start += maxBatch) {
      const chunk = refs.slice(start, start + maxBatch);
      fetchEntities(chunk).then(
        (entities) =>
          chunk.forEach((ref, index) => {
            const entity = entities[index];
            for (const waiter of batch.get(ref) ?? []) waiter.resolve(entity ? entityTitleOf(entity) : null);
          }),
        (error: unknown) => chunk.forEach((ref) => batch.get(ref)?.forEach((waiter) => waiter.reject(error))),
      );
    }
  };

  return {
    load(canonicalRef) {
      return new Promise((resolve, reject) => {
        const waiters = pending.get(canonicalRef) ?? [];
        waiters.push({ resolve, reject });
        pending.set(canonicalRef, waiters);
        timer ??= setTimeout(flush, windowMs);
      });
    },
  };
}

/** The fields a title needs; the catalog sends only these. */
export const ENTITY_TITLE_FIELDS = ['kind', 'metadata.name', 'metadata.namespace', 'metadata.title', 'spec.profile.displayName'];

/** The app's loader: the catalog's by-refs endpoint. */
export const catalogTitleLoader = createEntityTitleLoader(async (refs) => {
  const response = await apiFetch<{ items: Array<EntityLike | null> }>('/catalog/entities/by-refs', {
    json: { entityRefs: refs, fields: ENTITY_TITLE_FIELDS },
  });
  return response.items;
});
