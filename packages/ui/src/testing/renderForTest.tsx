import { MantineProvider } from '@mantine/core';
import { act, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';

/** The bits of the browser Mantine needs that jsdom lacks. */
function installBrowserStubs(): void {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  window.scrollTo = () => {}; // jsdom only logs "not implemented"
  if (!window.matchMedia) {
    window.matchMedia = (query: string) =>
      ({
        matches: false,
        media: query,
        onchange: null,
        addEventListener: () => {},
        removeEventListener: () => {},
        addListener: () => {},
        removeListener: () => {},
        dispatchEvent: () => false,
      }) as MediaQueryList;
  }
  if (!('ResizeObserver' in window)) {
    (window as { ResizeObserver?: unknown }).ResizeObserver = class {
      observe() {}
      unobserve() {}
      disconnect() {}
    };
  }
}

export interface RenderResult {
  container: HTMLElement;
  unmount: () => Promise<void>;
}

/** Renders inside a Mantine provider in test mode (no transitions, no portals). Needs a jsdom environment. */
export async function renderForTest(ui: ReactNode): Promise<RenderResult> {
  installBrowserStubs();
  const host = document.createElement('div');
  document.body.append(host);
  const root = createRoot(host);
  await act(async () => {
    root.render(
      <MantineProvider env="test">
        <div data-test-root="">{ui}</div>
      </MantineProvider>,
    );
  });
  // The provider renders <style> tags too; `container` holds only what the test rendered.
  const container = host.querySelector<HTMLElement>('[data-test-root]');
  if (!container) throw new Error('renderForTest(): nothing rendered');
  return {
    container,
    unmount: async () => {
      await act(async () => root.unmount());
      host.remove();
    },
  };
}

/** Retries `check` (letting React settle in between) until it stops throwing, or rethrows after `timeoutMs`. */
export async function waitFor(check: () => void, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await act(async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
      });
    }
  }
}

/** Clicks an element inside React's act(), so state updates are applied before the test goes on. */
export async function click(element: Element | null): Promise<void> {
  if (!(element instanceof HTMLElement)) throw new Error('click(): element not found');
  await act(async () => element.click());
}
