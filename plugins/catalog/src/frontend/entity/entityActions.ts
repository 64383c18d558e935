import type { Contributed, EntityActionExtension, EntityLike } from '@atrium/frontend-plugin-api';

/** Where a link action leads: an app path (client-side navigation) or an http(s) URL (new tab). */
export type ResolvedActionHref = { kind: 'app'; to: string } | { kind: 'external'; href: string };

/**
 * Resolves a link action's `href` for an entity. Anything but an app path or an http(s) URL
 * (`javascript:`, `//host`, relative paths) is refused, as is an `href` that throws: the
 * action is then left out instead of breaking the entity page.
 */
export function resolveActionHref(action: Contributed<EntityActionExtension>, entity: EntityLike): ResolvedActionHref | undefined {
  if (typeof action.href !== 'function') return undefined;
  let href: unknown;
  try {
    href = action.href(entity);
  } catch (error) {
    console.error(`The href of entity action "${action.id}" of plugin "${action.pluginId}" threw`, error);
    return undefined;
  }
  if (typeof href !== 'string') return undefined;
  if (href.startsWith('/') && !href.startsWith('//')) return { kind: 'app', to: href };
  if (/^https?:\/\//i.test(href)) return { kind: 'external', href };
  return undefined;
}
