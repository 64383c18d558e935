import { defineRoute } from '@atrium/backend-plugin-api';
import { stringifyEntityRef } from '@atrium/catalog-model';
import { notFound } from '../query/entityLookup.js';
import { sendJsonText } from './respond.js';
import * as schemas from './schemas.js';
import { componentRef, notFoundReply, READ_ENTITIES, type CatalogRouteServices, type EntityNameParams } from './services.js';
import { assertReadable, readableEntities } from './visibility.js';

/**
 * GET /entities/by-name/:kind/:namespace/:name. The entry check names no target (a caller with
 * no read rule at all gets 403); the entity is then checked itself, and one the caller may not
 * read is a 404 like a missing one, so its existence is not revealed.
 */
export const getEntityByName = defineRoute<CatalogRouteServices, EntityNameParams>({
  method: 'get',
  path: '/entities/by-name/:kind/:namespace/:name',
  params: schemas.entityNameParams,
  permission: READ_ENTITIES,
  summary: 'Entity by kind, namespace and name',
  response: { description: 'Entity', schema: componentRef('Entity') },
  responses: notFoundReply('No such entity'),
  handler: async ({ params: { kind, namespace, name }, caller, res }, { lookup, permissions }) => {
    const ref = stringifyEntityRef({ kind, namespace, name });
    const text = await assertReadable(permissions, caller, ref, await lookup.finalTextByRef(ref), () => notFound(kind, namespace, name));
    sendJsonText(res, 200, text);
  },
});

/**
 * GET /entities/by-name/:kind/:namespace/:name/ancestry: the Location entities that led to an
 * entity. The entity itself hidden → 404; an ancestor the caller may not read is left out of
 * `items` (its ref stays in its child's `parentEntityRefs`: visible as a ref, no data).
 */
export const getEntityAncestry = defineRoute<CatalogRouteServices, EntityNameParams>({
  method: 'get',
  path: '/entities/by-name/:kind/:namespace/:name/ancestry',
  params: schemas.entityNameParams,
  permission: READ_ENTITIES,
  summary: 'The Location entities that led to an entity',
  response: {
    description: 'Ancestry, the entity itself first',
    schema: {
      type: 'object',
      properties: {
        rootEntityRef: { type: 'string' },
        items: {
          type: 'array',
          items: { type: 'object', properties: { entity: componentRef('Entity'), parentEntityRefs: { type: 'array', items: { type: 'string' } } } },
        },
      },
    },
  },
  responses: notFoundReply('No such entity'),
  handler: async ({ params: { kind, namespace, name }, caller }, { lookup, permissions }) => {
    const ancestry = await lookup.ancestry(kind, namespace, name);
    const readable = await readableEntities(
      permissions,
      caller,
      ancestry.items.map((i) => ({ ref: stringifyEntityRef(i.entity), entity: i.entity })),
    );
    if (!readable[0]) throw notFound(kind, namespace, name);
    return { rootEntityRef: ancestry.rootEntityRef, items: ancestry.items.filter((_, i) => readable[i]) };
  },
});
