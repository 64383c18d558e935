import { renderForTest, type RenderResult } from '@atrium/ui/testing';
import { QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { createQueryClient } from '../queryClient';

/** Renders with a fresh query cache (no retries) and a router at `path`. Needs a jsdom environment. */
export async function renderApp(ui: ReactNode, path = '/', onError?: (error: unknown) => void): Promise<RenderResult> {
  const client = createQueryClient(onError ? { onError } : {});
  client.setDefaultOptions({ queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } });
  return renderForTest(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[path]}>{ui}</MemoryRouter>
    </QueryClientProvider>,
  );
}

/** A button (or link styled as one) by its visible text or accessible label. */
export function byText(root: ParentNode, selector: string, text: string | RegExp): HTMLElement | null {
  const match = (s: string | null | undefined) => (s == null ? false : typeof text === 'string' ? s.trim() === text : text.test(s));
  return [...root.querySelectorAll<HTMLElement>(selector)].find((el) => match(el.textContent) || match(el.getAttribute('aria-label'))) ?? null;
}

/** Types into a React-controlled input (sets the value the way React notices, then fires `input`). */
export async function typeInto(input: Element | null, value: string): Promise<void> {
  if (!(input instanceof HTMLInputElement)) throw new Error('typeInto(): no input');
  const { act } = await import('react');
  await act(async () => {
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
    setter?.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}
