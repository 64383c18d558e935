// @vitest-environment jsdom
import { renderForTest, type RenderResult } from '@atrium/ui/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExplorerFilters, facetOptions } from './ExplorerFilters';
import { parseExplorerState } from './filterState';

describe('facetOptions', () => {
  it('labels values with counts and keeps selected values the counts no longer contain', () => {
    expect(
      facetOptions(
        [
          { value: 'service', count: 3 },
          { value: 'website', count: 1 },
        ],
        ['library'],
      ),
    ).toEqual([
      { value: 'service', label: 'service (3)' },
      { value: 'website', label: 'website (1)' },
      { value: 'library', label: 'library (0)' },
    ]);
  });

  it('humanizes labels, and drops values differing only in case', () => {
    expect(
      facetOptions(
        [
          { value: 'group:default/a', count: 2 },
          { value: 'Group:default/A', count: 1 },
        ],
        [],
        (v) => v.split('/')[1]!,
      ),
    ).toEqual([{ value: 'group:default/a', label: 'a (2)' }]);
  });
});

let rendered: RenderResult | undefined;
afterEach(async () => {
  await rendered?.unmount();
});

describe('ExplorerFilters', () => {
  it('shows lifecycle counts as checkboxes and clears every filter', async () => {
    const onChange = vi.fn();
    const state = parseExplorerState(new URLSearchParams('type=service&lifecycle=production&q=pay'));
    rendered = await renderForTest(
      <ExplorerFilters
        state={state}
        counts={{
          lifecycle: [
            { value: 'production', count: 5 },
            { value: 'experimental', count: 2 },
          ],
          namespace: [{ value: 'default', count: 7 }],
        }}
        onChange={onChange}
      />,
    );
    const boxes = [...rendered.container.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')];
    expect(boxes.map((b) => [b.value, b.checked])).toEqual([
      ['production', true],
      ['experimental', false],
    ]);
    // One namespace: no namespace filter to offer.
    expect(rendered.container.textContent).not.toContain('Namespace');
    const clear = [...rendered.container.querySelectorAll('button')].find((b) => b.textContent === 'Clear filters');
    clear?.click();
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ text: '', filters: expect.objectContaining({ type: [], lifecycle: [] }) }));
  });
});
