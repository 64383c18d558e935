import type { RecentItem } from './recent';
import { appPath, searchPagePath } from './appPath';
import { KNOWN_TYPES, typeLabel, type SearchResult } from './types';

/** One choosable row of the palette. */
export interface PaletteItem {
  id: string;
  group: string;
  label: string;
  /** Second line or right-hand note: the kind, the owner, the action's description. */
  detail?: string;
  path: string;
  /** Set for search results and recent items, so opening one can be remembered. */
  result?: SearchResult;
  recent?: RecentItem;
}

export interface PaletteGroup {
  id: string;
  label: string;
  items: PaletteItem[];
}

/** Shortcuts the palette offers next to the results (the app's own routes). */
export const PALETTE_ACTIONS: ReadonlyArray<{ id: string; label: string; detail: string; path: string; keywords: string }> = [
  { id: 'create-component', label: 'Create component', detail: 'Start from a software template', path: '/create', keywords: 'new scaffold template' },
  {
    id: 'register-component',
    label: 'Register existing component',
    detail: 'Import a catalog-info.yaml',
    path: '/catalog-import',
    keywords: 'import add location yaml',
  },
  { id: 'go-scorecards', label: 'Go to Scorecards', detail: 'Checks and initiatives', path: '/scorecards', keywords: 'quality maturity' },
  { id: 'go-docs', label: 'Go to Docs', detail: 'All documentation sites', path: '/docs', keywords: 'techdocs documentation' },
];

function matchingActions(term: string) {
  const words = term.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return PALETTE_ACTIONS;
  return PALETTE_ACTIONS.filter((action) => {
    const haystack = `${action.label} ${action.keywords}`.toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}

function resultDetail(result: SearchResult): string | undefined {
  const { kind, owner } = result.document;
  const parts = [kind, owner ? `owned by ${owner.replace(/^group:(default\/)?/, '')}` : undefined].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

/**
 * What the palette lists. Without a term: recent items, then the actions. With one: the results
 * grouped by type (known types first), the matching actions, and a link to the full search page.
 */
export function paletteGroups(term: string, results: readonly SearchResult[] | undefined, recent: readonly RecentItem[]): PaletteGroup[] {
  const trimmed = term.trim();
  const groups: PaletteGroup[] = [];
  if (!trimmed) {
    if (recent.length > 0) {
      groups.push({
        id: 'recent',
        label: 'Recent',
        items: recent.map((item, i) => ({
          id: `recent-${i}`,
          group: 'recent',
          label: item.title,
          detail: item.subtitle ?? typeLabel(item.type),
          path: item.location,
          recent: item,
        })),
      });
    }
  } else if (results) {
    const order = [...KNOWN_TYPES.map((t) => t.type as string)];
    for (const result of results) if (!order.includes(result.type)) order.push(result.type);
    for (const type of order) {
      const items: PaletteItem[] = [];
      results.forEach((result, i) => {
        const path = appPath(result.document.location);
        if (result.type !== type || !path) return;
        items.push({ id: `result-${i}`, group: type, label: result.document.title, detail: resultDetail(result), path, result });
      });
      if (items.length > 0) groups.push({ id: `type-${type}`, label: typeLabel(type), items });
    }
  }
  const actions: PaletteItem[] = matchingActions(trimmed).map((a) => ({
    id: `action-${a.id}`,
    group: 'actions',
    label: a.label,
    detail: a.detail,
    path: a.path,
  }));
  if (trimmed)
    actions.push({
      id: 'action-search-page',
      group: 'actions',
      label: `See all results for “${trimmed}”`,
      detail: 'Open the search page',
      path: searchPagePath(trimmed),
    });
  if (actions.length > 0) groups.push({ id: 'actions', label: 'Actions', items: actions });
  return groups;
}

/** The next active item for a key press; `undefined` means none (the input itself). */
export function moveActive(items: readonly PaletteItem[], activeId: string | undefined, key: 'ArrowDown' | 'ArrowUp' | 'Home' | 'End'): string | undefined {
  if (items.length === 0) return undefined;
  const index = activeId === undefined ? -1 : items.findIndex((item) => item.id === activeId);
  if (key === 'Home') return items[0]?.id;
  if (key === 'End') return items[items.length - 1]?.id;
  if (key === 'ArrowDown') return items[index < 0 ? 0 : (index + 1) % items.length]?.id;
  return items[index <= 0 ? items.length - 1 : index - 1]?.id;
}
