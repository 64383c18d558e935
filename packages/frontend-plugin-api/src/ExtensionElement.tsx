import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { ComponentLoader, ExtensionContent } from './extensions';

const lazyComponents = new WeakMap<ComponentLoader, LazyExoticComponent<ComponentType>>();

/**
 * One lazy component per loader, so re-renders do not remount the page. A failed load is
 * forgotten, so "Try again" in an error boundary fetches the chunk afresh.
 */
function lazyComponentFor(loader: ComponentLoader): LazyExoticComponent<ComponentType> {
  let component = lazyComponents.get(loader);
  if (!component) {
    component = lazy(async () => {
      try {
        const loaded = await loader();
        return 'default' in loaded ? loaded : { default: loaded };
      } catch (error) {
        lazyComponents.delete(loader);
        throw error;
      }
    });
    lazyComponents.set(loader, component);
  }
  return component;
}

/**
 * Renders an extension's content. A loader suspends while its chunk loads, so place this
 * inside a Suspense boundary (and an error boundary); `PluginContent` from @atrium/ui does both.
 */
export function ExtensionElement(props: { content: ExtensionContent }) {
  const { content } = props;
  if (content.loader) {
    const Component = lazyComponentFor(content.loader);
    // eslint-disable-next-line react-hooks/static-components -- not created here: one cached component per loader (above)
    return <Component />;
  }
  return <>{content.element}</>;
}
