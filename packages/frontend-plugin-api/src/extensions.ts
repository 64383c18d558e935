import type { ComponentType, ReactNode } from 'react';
import type { EntityLike, EntityPredicate } from './entity';

/**
 * Loads a component on demand, so a plugin's pages stay out of the main bundle.
 * Return the module (`() => import('./Page')` with a default export) or the component itself
 * (`() => import('./Page').then((m) => m.Page)`).
 */
export type ComponentLoader = () => Promise<ComponentType | { default: ComponentType }>;

/** What an extension renders: either a ready element or a lazily loaded component. */
export type ExtensionContent = { element: ReactNode; loader?: never } | { loader: ComponentLoader; element?: never };

/** A page. `path` is relative to the app root, e.g. `/system` or `/catalog/*`. */
export type RouteExtension = { path: string } & ExtensionContent;

/** An entry in the sidebar. Lower `order` comes first; ties are sorted by title. */
export interface NavExtension {
  title: string;
  path: string;
  icon?: ReactNode;
  order?: number;
  /** Shown only to callers this permission allows (checked with `usePermission`), e.g. `permission.explain`. */
  permission?: string;
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

/**
 * A link the entity page renders as a button in its header, beside "View source" and "Edit".
 * `href` is an app path (`/create/templates/default/node-service`) or an http(s) URL.
 */
export interface EntityActionLink {
  title: string;
  href: (entity: EntityLike) => string;
  /** An icon shown before the title, e.g. a 16 px Tabler icon. */
  icon?: ReactNode;
  /** The page's main action: rendered filled instead of outlined. At most one per entity page reads well. */
  primary?: boolean;
  element?: never;
  loader?: never;
}

/**
 * An action in an entity page's header: a link (`title` + `href`), or content of the plugin's
 * own (an element or a loaded component that reads the entity with `useEntity()`, e.g. a menu).
 * Lower `order` comes first (default 500); ties keep plugin installation order.
 */
export type EntityActionExtension = {
  id: string;
  if?: EntityPredicate;
  order?: number;
} & (EntityActionLink | ({ title?: string; href?: never; icon?: never; primary?: never } & ExtensionContent));

export type HomeWidgetSize = 'small' | 'medium' | 'large';

/** A card on the home page. */
export type HomeWidgetExtension = {
  id: string;
  title: string;
  size?: HomeWidgetSize;
} & ExtensionContent;
