// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@atrium/frontend-plugin-api';
import { PluginErrorBoundary } from './PluginErrorBoundary';
import { QueryBoundary, type QueryLike } from './QueryBoundary';
import { click, renderForTest, type RenderResult } from './testing';

let rendered: RenderResult | undefined;
afterEach(async () => {
  await rendered?.unmount();
  vi.restoreAllMocks();
});

describe('PluginErrorBoundary', () => {
  it("contains a plugin's crash in a card naming the plugin, and can retry", async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    let shouldThrow = true;
    function Flaky() {
      if (shouldThrow) throw new Error('Cannot read properties of undefined');
      return <p>recovered</p>;
    }
    rendered = await renderForTest(
      <>
        <PluginErrorBoundary pluginId="scorecards">
          <Flaky />
        </PluginErrorBoundary>
        <p>the rest of the app</p>
      </>,
    );
    const alert = rendered.container.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('The "scorecards" plugin failed to render');
    expect(alert?.textContent).toContain('Cannot read properties of undefined');
    expect(rendered.container.textContent).toContain('the rest of the app');

    shouldThrow = false;
    await click(alert?.querySelector('button') ?? null);
    expect(rendered.container.textContent).toContain('recovered');
  });
});

describe('QueryBoundary', () => {
  const base: QueryLike<string[]> = { data: undefined, error: null, isPending: true, refetch: () => {} };
  const renderQuery = (query: QueryLike<string[]>) =>
    renderForTest(
      <QueryBoundary query={query} isEmpty={(d) => d.length === 0} empty={<p>nothing here</p>}>
        {(data) => <p>{data.join(',')}</p>}
      </QueryBoundary>,
    );

  it('shows loading, then data', async () => {
    rendered = await renderQuery(base);
    expect(rendered.container.querySelector('[role="status"]')?.textContent).toContain('Loading');
    await rendered.unmount();
    rendered = await renderQuery({ ...base, isPending: false, data: ['a', 'b'] });
    expect(rendered.container.textContent).toBe('a,b');
  });

  it('shows the empty state for empty data', async () => {
    rendered = await renderQuery({ ...base, isPending: false, data: [] });
    expect(rendered.container.textContent).toBe('nothing here');
  });

  it("shows the server's message with a retry button on error", async () => {
    const refetch = vi.fn();
    const error = new ApiError({ message: 'Database is unavailable', status: 503, method: 'GET', url: '/api/x' });
    rendered = await renderQuery({ ...base, isPending: false, error, refetch });
    const alert = rendered.container.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('Database is unavailable');
    expect(alert?.textContent).toContain('GET /api/x · 503');
    await click(alert?.querySelector('button') ?? null);
    expect(refetch).toHaveBeenCalledOnce();
  });

  it('keeps stale data visible when a refresh fails', async () => {
    rendered = await renderQuery({ ...base, isPending: false, data: ['a'], error: new Error('offline') });
    expect(rendered.container.textContent).toContain('refreshing failed: offline');
    expect(rendered.container.textContent).toContain('a');
  });
});
