import { createElement, lazy, type ComponentType } from 'react';

export type PreloadableComponent = ComponentType & { preload: () => Promise<unknown> };

/**
 * A lazily loaded page that can be fetched ahead of time. Once its module has arrived it renders
 * directly instead of through React.lazy, which suspends on first render even when the module is
 * already loaded, and each suspension costs a fallback commit plus React's 300 ms reveal throttle.
 */
export function preloadable(load: () => Promise<{ default: ComponentType }>): PreloadableComponent {
  let loaded: ComponentType | undefined;
  let pending: Promise<{ default: ComponentType }> | undefined;
  const preload = () => {
    pending ??= load().then(
      (module) => {
        loaded = module.default;
        return module;
      },
      (error: unknown) => {
        pending = undefined; // let the next attempt fetch the chunk again
        throw error;
      },
    );
    return pending;
  };
  const Lazy = lazy(preload);
  const Page = () => createElement(loaded ?? Lazy);
  return Object.assign(Page, { preload });
}
