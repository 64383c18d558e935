// @vitest-environment jsdom
import { waitFor, type RenderResult } from '@atrium/ui/testing';
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readRecent } from './recent';
import { SearchPalette } from './SearchPalette';
import { fakeSearchApi, press, renderSearchUi, response, result, typeInto } from './testing';

let rendered: RenderResult | undefined;
beforeEach(() => window.localStorage.clear());
afterEach(async () => {
  await rendered?.unmount();
  vi.unstubAllGlobals();
});

const input = () => document.querySelector<HTMLInputElement>('input[role="combobox"]');
const options = () => [...document.querySelectorAll<HTMLElement>('[role="option"]')];
const activeOption = () => {
  const id = input()?.getAttribute('aria-activedescendant');
  return id ? document.getElementById(id) : null;
};

const paymentsAnswer = response([
  result('software-catalog', 'payments-service', '/catalog/default/component/payments-service', {
    document: { title: 'payments-service', text: 'Takes payments', location: '/catalog/default/component/payments-service', kind: 'Component' },
    highlight: { preTag: '<mark>', postTag: '</mark>', fields: { title: '<mark>pay</mark>ments-service' } },
  }),
  result('techdocs', 'Payments runbook', '/docs/default/component/payments-service/runbook'),
]);

async function openPalette(navigate = vi.fn(), onClose = vi.fn(), debounceMs?: number) {
  rendered = await renderSearchUi(<SearchPalette opened onClose={onClose} navigate={navigate} debounceMs={debounceMs} />);
  return { navigate, onClose };
}

describe('SearchPalette', () => {
  it('is a combobox over a listbox, with recent-free empty state and the actions', async () => {
    fakeSearchApi(() => response([]));
    await openPalette();
    const box = input()!;
    expect(box.getAttribute('aria-controls')).toBe(document.querySelector('[role="listbox"]')?.id);
    expect(box.getAttribute('aria-activedescendant')).toBeNull();
    expect(document.body.textContent).toContain('Type to search the catalog, docs and templates');
    expect(options().map((o) => o.textContent)).toEqual(
      expect.arrayContaining([expect.stringContaining('Create component'), expect.stringContaining('Go to Scorecards')]),
    );
  });

  it('moves with the arrows, opens with Enter and remembers the result as recent', async () => {
    const calls = fakeSearchApi(() => paymentsAnswer);
    const { navigate, onClose } = await openPalette();
    await typeInto(input(), 'pay');
    await waitFor(() => expect(options().some((o) => o.textContent?.includes('Payments runbook'))).toBe(true));
    expect(calls.map((c) => c.url.searchParams.get('term'))).toEqual(['pay']);
    const groups = [...document.querySelectorAll('[role="listbox"] > [role="group"]')].map((g) => g.querySelector('p')?.textContent);
    expect(groups).toEqual(['Catalog', 'Docs', 'Actions']);
    // The highlighted title: marked text, no markup.
    expect(options()[0]!.querySelector('mark')?.textContent).toBe('pay');

    await press(input(), 'ArrowDown');
    expect(activeOption()?.textContent).toContain('payments-service');
    expect(activeOption()?.getAttribute('aria-selected')).toBe('true');
    await press(input(), 'ArrowDown');
    expect(activeOption()?.textContent).toContain('Payments runbook');
    await press(input(), 'ArrowUp');
    await press(input(), 'Enter');
    expect(navigate).toHaveBeenCalledWith('/catalog/default/component/payments-service');
    expect(onClose).toHaveBeenCalled();
    expect(readRecent()[0]).toEqual({
      title: 'payments-service',
      location: '/catalog/default/component/payments-service',
      type: 'software-catalog',
      subtitle: 'Component',
    });
  });

  it('Enter without a chosen item opens the full search page for the term', async () => {
    fakeSearchApi(() => paymentsAnswer);
    const { navigate } = await openPalette();
    await typeInto(input(), 'pay ments');
    await press(input(), 'Enter');
    expect(navigate).toHaveBeenCalledWith('/search?q=pay+ments');
  });

  it('shows recent items when the term is empty', async () => {
    window.localStorage.setItem(
      'atrium.search.recent',
      JSON.stringify([{ title: 'Orders', location: '/catalog/default/component/orders', type: 'software-catalog', subtitle: 'Component' }]),
    );
    fakeSearchApi(() => response([]));
    const { navigate } = await openPalette();
    expect(options()[0]?.textContent).toContain('Orders');
    await press(input(), 'ArrowDown');
    await press(input(), 'Enter');
    expect(navigate).toHaveBeenCalledWith('/catalog/default/component/orders');
  });

  it('gathers keys closer together than the quiet time into one search, and aborts a request the next term replaces', async () => {
    const calls = fakeSearchApi((url) => response([result('software-catalog', `hit for ${url.searchParams.get('term')}`, '/catalog/default/component/x')]), {
      delayMs: 1_500,
    });
    // A quiet time longer than a busy test machine takes between keystrokes; answers slower than it.
    await openPalette(vi.fn(), vi.fn(), 400);
    // Three quick keystrokes: one request, for the last term.
    await typeInto(input(), 'p');
    await typeInto(input(), 'pa');
    await typeInto(input(), 'pay');
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]!.url.searchParams.get('term')).toBe('pay');
    // A new term while that request is still running: the old request is aborted.
    await typeInto(input(), 'paym');
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[0]!.signal?.aborted).toBe(true);
    expect(calls[1]!.url.searchParams.get('term')).toBe('paym');
    await waitFor(() => expect(options()[0]?.textContent).toContain('hit for paym'), 5_000);
    expect(calls[1]!.signal?.aborted).toBe(false);
  });

  it('says when nothing matched, offers the suggestion, and shows errors', async () => {
    let fail = false;
    fakeSearchApi((url) =>
      fail
        ? { status: 400, body: { error: { name: 'InputError', message: 'term is too long' } } }
        : response([], { suggestion: url.searchParams.get('term') === 'paymnt' ? 'payment' : undefined }),
    );
    await openPalette();
    await typeInto(input(), 'paymnt');
    await waitFor(() => expect(document.body.textContent).toContain('No results for “paymnt”.'));
    const suggestion = [...document.querySelectorAll('button')].find((b) => b.textContent === 'payment');
    expect(suggestion).toBeDefined();
    await act(async () => suggestion!.click());
    expect(input()!.value).toBe('payment');
    fail = true;
    await typeInto(input(), 'x'.repeat(20));
    await waitFor(() => expect(document.querySelector('[role="alert"]')?.textContent).toContain('Search failed: term is too long'));
  });

  it('closes on Escape', async () => {
    fakeSearchApi(() => response([]));
    const { onClose } = await openPalette();
    await press(input(), 'Escape');
    expect(onClose).toHaveBeenCalled();
  });
});
