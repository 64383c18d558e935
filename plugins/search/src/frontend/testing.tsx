import { renderForTest, type RenderResult } from '@atrium/ui/testing';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, type ReactNode } from 'react';
import { MemoryRouter, useLocation } from 'react-router';
import { vi } from 'vitest';
import type { SearchResponse, SearchResult } from './types';

/** Test-only helpers for the search UI (imported by *.test.tsx files only). */

export interface FakeSearchCall {
  url: URL;
  signal: AbortSignal | undefined;
}

/**
 * Replaces the browser's fetch (the network) for `/api/search/query`: `answer` gets the request
 * URL and returns the body; `delayMs` holds the answer back, aborting like the browser does.
 */
export function fakeSearchApi(answer: (url: URL) => SearchResponse | { status: number; body: unknown }, options: { delayMs?: number } = {}) {
  const calls: FakeSearchCall[] = [];
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://atrium.test');
    const signal = init.signal ?? undefined;
    calls.push({ url, signal });
    if (options.delayMs) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, options.delayMs);
        signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new DOMException('The operation was aborted.', 'AbortError'));
        });
      });
    }
    const result = answer(url);
    const [status, body] = 'status' in result && 'body' in result ? [result.status, result.body] : [200, result];
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  });
  return calls;
}

export function result(type: string, title: string, location: string, extra: Partial<SearchResult> = {}): SearchResult {
  return { type, document: { title, text: `${title} text`, location }, rank: 1, ...extra };
}

export function response(results: SearchResult[], extra: Partial<SearchResponse> = {}): SearchResponse {
  return { results, numberOfResults: results.length, facets: {}, ...extra };
}

/** Shows the router's current location, so tests can read where the UI navigated. */
function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location">{`${location.pathname}${location.search}`}</output>;
}

export async function renderSearchUi(ui: ReactNode, path = '/'): Promise<RenderResult> {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return renderForTest(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[path]}>
        {ui}
        <LocationProbe />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

export function currentLocation(): string {
  return document.querySelector('[data-testid="location"]')?.textContent ?? '';
}

/** Presses a key on an element inside act(). */
export async function press(element: Element | null, key: string, init: KeyboardEventInit = {}): Promise<void> {
  if (!element) throw new Error(`press(${key}): no element`);
  await act(async () => {
    element.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init }));
  });
}

/** Types into a React-controlled input. */
export async function typeInto(input: Element | null, value: string): Promise<void> {
  if (!(input instanceof HTMLInputElement)) throw new Error('typeInto(): no input');
  await act(async () => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}
