import { defineRoute } from '@atrium/backend-plugin-api';
import { stringifyEntityRef } from '@atrium/catalog-model';
import { notFound } from '../query/entityLookup.js';
import { sendJsonText } from './respond.js';
import * as schemas from './schemas.js';
import { componentRef, notFoundReply, readNamedEntity, type CatalogRouteServices, type EntityNameParams } from './services.js';

/** GET /entities/by-name/:kind/:namespace/:name */
export const getEntityByName = defineRoute<CatalogRouteServices, EntityNameParams>({
  method: 'get',
  path: '/entities/by-name/:kind/:namespace/:name',
  params: schemas.entityNameParams,
  permission: readNamedEntity,
  summary: 'Entity by kind, namespace and name',
  response: { description: 'Entity', schema: componentRef('Entity') },
  responses: notFoundReply('No such entity'),
  handler: async ({ params: { kind, namespace, name }, res }, { lookup }) => {
    const text = await lookup.finalTextByRef(stringifyEntityRef({ kind, namespace, name }));
    if (!text) throw notFound(kind, namespace, name);
    sendJsonText(res, 200, text);
  },
});

/** GET /entities/by-name/:kind/:namespace/:name/ancestry: the Location entities that led to an entity. */
export const getEntityAncestry = defineRoute<CatalogRouteServices, EntityNameParams>({
  method: 'get',
  path: '/entities/by-name/:kind/:namespace/:name/ancestry',
  params: schemas.entityNameParams,
  permission: readNamedEntity,
  summary: 'The Location entities that led to an entity',
  response: {
    description: 'Ancestry, the entity itself first',
    schema: {
      type: 'object',
      properties: {
        rootEntityRef: { type: 'string' },
        items: { type: 'array', items: { type: 'object', properties: { entity: componentRef('Entity'), parentEntityRefs: { type: 'array', items: { type: 'string' } } } } },
      },
    },
  },
  responses: notFoundReply('No such entity'),
  handler: ({ params: { kind, namespace, name } }, { lookup }) => lookup.ancestry(kind, namespace, name),
});
