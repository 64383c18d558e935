import { useEffect } from 'react';

export const APP_NAME = 'Atrium';

/** A page title, most specific part first: `'Runbook'`, or `['Runbook', 'Orders service']`. */
export type PageTitle = string | ReadonlyArray<string | null | undefined>;

/** The distinct parts of a title, most specific first, without the app's name. */
function titleParts(title: PageTitle | undefined): string[] {
  const parts = typeof title === 'string' ? [title] : (title ?? []);
  const seen = new Set<string>([APP_NAME.toLowerCase()]);
  const kept: string[] = [];
  for (const part of parts) {
    const text = part?.replace(/\s+/g, ' ').trim();
    if (!text || seen.has(text.toLowerCase())) continue;
    seen.add(text.toLowerCase());
    kept.push(text);
  }
  return kept;
}

/**
 * The browser tab title for a page: its parts, most specific first, each said once (a docs
 * page titled like its site is not named twice), then the app's name:
 * `['Orders service', 'Orders service']` → `Orders service · Atrium`.
 */
export function formatDocumentTitle(title: PageTitle | undefined): string {
  return [...titleParts(title), APP_NAME].join(' · ');
}

interface TitleClaim {
  depth: number;
  formatted: string;
  seq: number;
}

/**
 * Which of the titles claimed by mounted components the tab shows: the most specific one (a
 * docs page inside an entity page names both, so it has more parts), the latest on a tie.
 */
export function pickTitle(claims: Iterable<TitleClaim>): string {
  let best: TitleClaim | undefined;
  for (const claim of claims) {
    if (!best || claim.depth > best.depth || (claim.depth === best.depth && claim.seq > best.seq)) best = claim;
  }
  return best?.formatted ?? APP_NAME;
}

const claims = new Map<symbol, TitleClaim>();
let sequence = 0;

/**
 * Sets the browser tab title to "<title> · Atrium" (or just "Atrium" without a title). A page
 * inside a page (an entity tab) names itself and its parent, `[tabTitle, entityTitle]`; when it
 * goes away the parent's title comes back.
 */
export function usePageTitle(title?: PageTitle): void {
  const parts = titleParts(title);
  const formatted = [...parts, APP_NAME].join(' · ');
  const depth = parts.length;
  useEffect(() => {
    const id = Symbol('page-title');
    claims.set(id, { depth, formatted, seq: ++sequence });
    document.title = pickTitle(claims.values());
    return () => {
      claims.delete(id);
      document.title = pickTitle(claims.values());
    };
  }, [formatted, depth]);
}
