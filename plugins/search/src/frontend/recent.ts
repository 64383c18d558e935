/** A search result the user opened, remembered in this browser for the palette's empty state. */
export interface RecentItem {
  title: string;
  location: string;
  type: string;
  /** e.g. the entity kind, shown beside the title. */
  subtitle?: string;
}

export const RECENT_STORAGE_KEY = 'atrium.search.recent';
export const RECENT_LIMIT = 8;

function isRecentItem(value: unknown): value is RecentItem {
  if (typeof value !== 'object' || value === null) return false;
  const item = value as Record<string, unknown>;
  return (
    typeof item['title'] === 'string' &&
    typeof item['location'] === 'string' &&
    typeof item['type'] === 'string' &&
    item['location'].startsWith('/') &&
    !item['location'].startsWith('//')
  );
}

/** The remembered items, newest first. Anything unreadable in storage counts as nothing. */
export function readRecent(storage: Pick<Storage, 'getItem'> = window.localStorage): RecentItem[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(RECENT_STORAGE_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isRecentItem).slice(0, RECENT_LIMIT) : [];
  } catch {
    return [];
  }
}

/** Puts `item` first, drops an older entry for the same location, keeps the last eight. */
export function rememberRecent(item: RecentItem, storage: Pick<Storage, 'getItem' | 'setItem'> = window.localStorage): RecentItem[] {
  const next = [item, ...readRecent(storage).filter((r) => r.location !== item.location)].slice(0, RECENT_LIMIT);
  try {
    storage.setItem(RECENT_STORAGE_KEY, JSON.stringify(next));
  } catch {
    // Storage full or disabled (private mode): the palette simply shows no recent items.
  }
  return next;
}
