import { defineRoute, InputError } from '@atrium/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef, type Entity } from '@atrium/catalog-model';
import type { EntityActionsResponse, JsonObject } from '../../common/index.js';
import { templateRefOf, type TemplateLike } from '../templates.js';
import type { ScaffolderRouteServices } from './services.js';

/** Case-insensitive match of a Backstage-style entity filter (`{ kind: Component, 'spec.type': [service, website] }`). */
export function matchesEntityFilter(entity: Entity, filter: JsonObject | JsonObject[]): boolean {
  const sets = Array.isArray(filter) ? filter : [filter];
  return sets.some((set) =>
    Object.entries(set).every(([key, expected]) => {
      let value: unknown = entity;
      for (const part of key.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
      const actual = (Array.isArray(value) ? value : [value]).filter((v) => v !== undefined).map((v) => String(v).toLowerCase());
      if (expected === true) return actual.length > 0;
      const wanted = (Array.isArray(expected) ? expected : [expected]).map((v) => String(v).toLowerCase());
      return actual.some((a) => wanted.includes(a));
    }),
  );
}

/** The form field a day-2 template pre-fills with the entity: `spec.entityParameter`, else the first EntityPicker, else `entity`. */
export function entityParameterOf(t: TemplateLike): string {
  if (typeof t.spec['entityParameter'] === 'string') return t.spec['entityParameter'];
  const pages = Array.isArray(t.spec.parameters) ? t.spec.parameters : t.spec.parameters ? [t.spec.parameters] : [];
  for (const page of pages) {
    for (const [name, prop] of Object.entries((page['properties'] ?? {}) as Record<string, JsonObject>)) {
      if (prop?.['ui:field'] === 'EntityPicker') return name;
    }
  }
  return 'entity';
}

/** The entity ref of `?entityRef=`, canonical; a 400 naming the field when it does not parse. */
function canonicalEntityRef(raw: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(raw));
  } catch (e) {
    throw new InputError(`Invalid request query: query.entityRef ${(e as Error).message}`, {
      errors: [{ path: 'query.entityRef', message: (e as Error).message }],
    });
  }
}

/** GET /v2/entity-actions?entityRef=: the day-2 templates whose entity filter matches the entity (reading it: `catalog.entity.read`). */
export const listEntityActions = defineRoute<ScaffolderRouteServices, Record<string, string>, { entityRef: string }>({
  method: 'get',
  path: '/v2/entity-actions',
  query: {
    type: 'object',
    required: ['entityRef'],
    properties: { entityRef: { type: 'string', minLength: 1, description: 'The entity the templates would act on' } },
  },
  permission: { name: 'catalog.entity.read', resourceRef: ({ query }) => canonicalEntityRef(query.entityRef) },
  summary: 'Templates that apply to an entity (?entityRef=)',
  response: { description: '{items}', schema: { type: 'object', properties: { items: { type: 'array' } } } },
  handler: async ({ query }, { catalog }): Promise<EntityActionsResponse> => {
    const entity = await catalog.getEntityByRef(canonicalEntityRef(query.entityRef));
    if (!entity) return { items: [] };
    const { items } = await catalog.getEntities({ filter: { kind: 'template' } });
    const out: EntityActionsResponse['items'] = [];
    for (const t of items as unknown as TemplateLike[]) {
      const filter = t.spec?.entityFilter;
      if (!filter || !matchesEntityFilter(entity, filter)) continue;
      out.push({
        templateRef: templateRefOf(t),
        title: t.metadata.title ?? t.metadata.name,
        ...(t.metadata.description ? { description: t.metadata.description } : {}),
        parameter: entityParameterOf(t),
      });
    }
    return { items: out };
  },
});
