// @vitest-environment jsdom
import { renderForTest, type RenderResult } from '@atrium/ui/testing';
import { Suspense } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { preloadable } from './preloadable';

let rendered: RenderResult | undefined;
afterEach(async () => {
  await rendered?.unmount();
});

describe('preloadable', () => {
  it('renders a preloaded page at once, without a fallback', async () => {
    const load = vi.fn(async () => ({ default: () => <p>page</p> }));
    const Page = preloadable(load);
    await Page.preload();
    await Page.preload();
    expect(load).toHaveBeenCalledTimes(1);
    rendered = await renderForTest(
      <Suspense fallback={<p>loading</p>}>
        <Page />
      </Suspense>,
    );
    expect(rendered.container.textContent).toBe('page');
  });

  it('falls back to lazy loading, and retries a failed load', async () => {
    let fail = true;
    const load = vi.fn(async () => {
      if (fail) throw new Error('chunk failed');
      return { default: () => <p>page</p> };
    });
    const Page = preloadable(load);
    await expect(Page.preload()).rejects.toThrow('chunk failed');
    fail = false;
    await expect(Page.preload()).resolves.toBeDefined();
    expect(load).toHaveBeenCalledTimes(2);
  });
});
