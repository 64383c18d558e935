/** What a permission lets the caller do to its target. */
export type PermissionAction = 'read' | 'create' | 'update' | 'delete';

/**
 * One permission a plugin checks, as it appears in the permission catalogue
 * (`GET /api/permissions/catalogue`) and in policy rules.
 */
export interface PermissionDefinition {
  /** Dotted and lower case, usually `<pluginId>.<thing>.<verb>`, e.g. `catalog.entity.delete`. */
  readonly name: string;
  /** One sentence for the catalogue and the docs: what a caller holding it may do. */
  readonly description: string;
  /**
   * The kind of resource a check names in `resourceRef`, when there is one. Policy conditions on
   * entities (`isEntityOwner`, `kind`, …) apply only to `catalog-entity` permissions.
   */
  readonly resourceType?: string;
  readonly action: PermissionAction;
}

const NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;
const ACTIONS: readonly string[] = ['read', 'create', 'update', 'delete'];

/** Declares a permission for a plugin's `permissions` list; a malformed declaration throws at import. */
export function definePermission(definition: PermissionDefinition): PermissionDefinition {
  if (!NAME.test(definition.name)) {
    throw new Error(`Invalid permission name "${definition.name}": use dotted lower-case words, e.g. catalog.entity.delete`);
  }
  if (!ACTIONS.includes(definition.action)) throw new Error(`Permission ${definition.name}: action must be one of ${ACTIONS.join(', ')}`);
  if (!definition.description.trim()) throw new Error(`Permission ${definition.name} needs a description`);
  if (definition.resourceType !== undefined && !/^[a-z][a-z0-9-]*$/.test(definition.resourceType)) {
    throw new Error(`Permission ${definition.name}: resourceType "${definition.resourceType}" must be lower-case words joined by dashes`);
  }
  return Object.freeze({ ...definition });
}

/** The resource type of catalog entities: the type entity conditions apply to. */
export const CATALOG_ENTITY_RESOURCE = 'catalog-entity';
