import { describe, expect, it } from 'vitest';
import { moveActive, paletteGroups, PALETTE_ACTIONS } from './paletteItems';
import { result } from './testing';

describe('paletteGroups', () => {
  it('shows recent items and every action for an empty term', () => {
    const groups = paletteGroups(' ', undefined, [
      { title: 'Payments', location: '/catalog/default/component/payments', type: 'software-catalog', subtitle: 'Component' },
    ]);
    expect(groups.map((g) => g.label)).toEqual(['Recent', 'Actions']);
    expect(groups[0]!.items[0]).toMatchObject({ label: 'Payments', detail: 'Component', path: '/catalog/default/component/payments' });
    expect(groups[1]!.items.map((i) => i.path)).toEqual(['/create', '/catalog-import', '/scorecards', '/docs']);
  });

  it('groups results by type, known types first, and skips results that are not app paths', () => {
    const groups = paletteGroups(
      'pay',
      [
        result('techdocs', 'Payments docs', '/docs/default/component/payments'),
        result('custom-thing', 'Custom', '/custom/1'),
        result('software-catalog', 'payments', '/catalog/default/component/payments', {
          document: { title: 'payments', text: '', location: '/catalog/default/component/payments', kind: 'Component', owner: 'group:default/payments-team' },
        }),
        result('software-catalog', 'evil', 'https://evil.example/'),
      ],
      [],
    );
    expect(groups.map((g) => g.label)).toEqual(['Catalog', 'Docs', 'custom-thing', 'Actions']);
    expect(groups[0]!.items).toHaveLength(1);
    expect(groups[0]!.items[0]).toMatchObject({ label: 'payments', detail: 'Component · owned by payments-team' });
    expect(groups.at(-1)!.items.map((i) => i.label)).toEqual(['See all results for “pay”']);
    expect(groups.at(-1)!.items[0]!.path).toBe('/search?q=pay');
  });

  it('offers the actions whose words match the term', () => {
    const labels = (term: string) => paletteGroups(term, [], []).flatMap((g) => g.items.map((i) => i.label));
    expect(labels('create')).toEqual(['Create component', 'See all results for “create”']);
    expect(labels('register comp')).toContain('Register existing component');
    expect(labels('scorecards')).toContain('Go to Scorecards');
    expect(PALETTE_ACTIONS).toHaveLength(4);
  });
});

describe('moveActive', () => {
  const items = paletteGroups('', undefined, []).flatMap((g) => g.items);
  const ids = items.map((i) => i.id);
  it('starts at the first item going down and the last going up, and wraps around', () => {
    expect(moveActive(items, undefined, 'ArrowDown')).toBe(ids[0]);
    expect(moveActive(items, undefined, 'ArrowUp')).toBe(ids.at(-1));
    expect(moveActive(items, ids[0], 'ArrowDown')).toBe(ids[1]);
    expect(moveActive(items, ids.at(-1), 'ArrowDown')).toBe(ids[0]);
    expect(moveActive(items, ids[0], 'ArrowUp')).toBe(ids.at(-1));
    expect(moveActive(items, ids[1], 'Home')).toBe(ids[0]);
    expect(moveActive(items, ids[1], 'End')).toBe(ids.at(-1));
    expect(moveActive([], undefined, 'ArrowDown')).toBeUndefined();
    expect(moveActive(items, 'gone', 'ArrowDown')).toBe(ids[0]);
  });
});
