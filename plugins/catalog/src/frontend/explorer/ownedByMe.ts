import { withFilter, type ExplorerState } from './filterState';

/** The owner-filter values for "Owned by me": the caller's ownership refs, as the URL keeps owners (lower-case, distinct). */
export function myOwnerValues(ownershipEntityRefs: readonly string[]): string[] {
  return [...new Set(ownershipEntityRefs.map((r) => r.trim().toLowerCase()).filter((r) => r !== ''))].sort();
}

/** Whether the owner filter is exactly "owned by me or my groups". */
export function isOwnedByMe(state: ExplorerState, ownershipEntityRefs: readonly string[]): boolean {
  const mine = myOwnerValues(ownershipEntityRefs);
  const selected = [...new Set(state.filters.owner)].sort();
  return mine.length > 0 && selected.length === mine.length && selected.every((v, i) => v === mine[i]);
}

/** "Owned by me" on sets the owner filter to the caller's refs; off clears the owner filter. */
export function withOwnedByMe(state: ExplorerState, ownershipEntityRefs: readonly string[], on: boolean): ExplorerState {
  return withFilter(state, 'owner', on ? myOwnerValues(ownershipEntityRefs) : []);
}
