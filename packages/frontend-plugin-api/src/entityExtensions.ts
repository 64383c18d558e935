import type { EntityLike, EntityPredicate } from './entity';

/**
 * Keeps the extensions that apply to an entity. A predicate that throws counts as "does not
 * apply" (and is logged), so one plugin's bug hides its own tab rather than the entity page.
 */
export function filterForEntity<T extends { if?: EntityPredicate; pluginId: string }>(extensions: readonly T[], entity: EntityLike): T[] {
  return extensions.filter((extension) => {
    if (!extension.if) return true;
    try {
      return extension.if(entity);
    } catch (error) {
      console.error(`The "if" predicate of a plugin "${extension.pluginId}" extension threw`, error);
      return false;
    }
  });
}
