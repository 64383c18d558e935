import { describe, expect, it } from 'vitest';
import { explorerPredicate, parseExplorerState } from './filterState';
import { isOwnedByMe, withOwnedByMe } from './ownedByMe';

const mine = ['user:default/Alice', 'group:default/team-a'];

describe('owned by me', () => {
  it("sets the owner filter to the caller's ownership refs, which the catalog matches on relations.ownedBy", () => {
    const state = withOwnedByMe(parseExplorerState(new URLSearchParams('owner=group:default/other')), mine, true);
    expect(state.filters.owner).toEqual(['group:default/team-a', 'user:default/alice']);
    expect(isOwnedByMe(state, mine)).toBe(true);
    expect(explorerPredicate(state)).toEqual({
      $all: [{ kind: 'component' }, { relations: { $contains: { type: 'ownedBy', targetRef: { $in: ['group:default/team-a', 'user:default/alice'] } } } }],
    });
  });

  it('is off for another owner selection, and turning it off clears the owner filter', () => {
    const other = parseExplorerState(new URLSearchParams('owner=group:default/team-a'));
    expect(isOwnedByMe(other, mine)).toBe(false);
    expect(withOwnedByMe(other, mine, false).filters.owner).toEqual([]);
    expect(isOwnedByMe(parseExplorerState(new URLSearchParams('')), [])).toBe(false);
  });
});
