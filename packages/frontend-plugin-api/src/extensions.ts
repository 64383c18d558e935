import type { ComponentType, ReactNode } from 'react';
import type { EntityPredicate } from './entity';

/**
 * Loads a component on demand, so a plugin's pages stay out of the main bundle.
 * Return the module (`() => import('./Page')` with a default export) or the component itself
 * (`() => import('./Page').then((m) => m.Page)`).
 */
export type ComponentLoader = () => Promise<ComponentType | { default: ComponentType }>;

/** What an extension renders: either a ready element or a lazily loaded component. */
export type ExtensionContent =
  | { element: ReactNode; loader?: never }
  | { loader: ComponentLoader; element?: never };

/** A page. `path` is relative to the app root, e.g. `/system` or `/catalog/*`. */
export type RouteExtension = { path: string } & ExtensionContent;

/** An entry in the sidebar. Lower `order` comes first; ties are sorted by title. */
export interface NavExtension {
  title: string;
  path: string;
  icon?: ReactNode;
  order?: number;
}

/** A tab on the entity page; `path` is relative to the entity page, e.g. `docs`. */
export type EntityTabExtension = {
  id: string;
  title: string;
  path: string;
  if?: EntityPredicate;
} & ExtensionContent;

/** A card on the entity overview tab. */
export type EntityCardExtension = {
  id: string;
  if?: EntityPredicate;
  area?: 'main' | 'side';
} & ExtensionContent;

export type HomeWidgetSize = 'small' | 'medium' | 'large';

/** A card on the home page. */
export type HomeWidgetExtension = {
  id: string;
  title: string;
  size?: HomeWidgetSize;
} & ExtensionContent;
