import { defineRoute } from '@atrium/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@atrium/catalog-model';
import { allOf } from '../filters/filterNode.js';
import { parseFilterParams } from '../filters/parseFilter.js';
import { parsePredicate } from '../filters/parsePredicate.js';
import { parseFields } from '../query/fields.js';
import { finalEntitiesByRefs } from '../query/queryEntities.js';
import { entityJson, sendJsonText } from './respond.js';
import * as schemas from './schemas.js';
import { componentRef, READ_ENTITIES, type CatalogRouteServices } from './services.js';
import { visibility } from './visibility.js';

/**
 * POST /entities/by-refs: entities in the order asked, `null` for a ref that is missing, filtered
 * out, malformed or hidden from the caller (a hidden entity is answered like a missing one).
 */
export const getEntitiesByRefs = defineRoute<
  CatalogRouteServices,
  Record<string, string>,
  { filter?: string | string[] },
  { entityRefs: string[]; fields?: string[]; query?: object }
>({
  method: 'post',
  path: '/entities/by-refs',
  query: schemas.byRefsQuery,
  body: schemas.byRefsBody,
  permission: READ_ENTITIES,
  summary: 'Entities by ref, in request order (null when missing)',
  response: {
    description: 'Items',
    schema: { type: 'object', properties: { items: { type: 'array', items: { anyOf: [componentRef('Entity'), { type: 'null' }] } } } },
  },
  handler: async ({ query, body, caller, res }, { db, permissions }) => {
    const filter = allOf([
      parseFilterParams(query.filter),
      body.query !== undefined ? parsePredicate(body.query) : undefined,
      await visibility(permissions, caller),
    ]);
    const refs = body.entityRefs.map(canonicalRefOrNull);
    const found = await finalEntitiesByRefs(db, [...new Set(refs.filter((r): r is string => r !== null))], filter);
    const fields = parseFields(body.fields);
    const items = refs.map((r) => {
      const text = r === null ? undefined : found.get(r);
      return text === undefined ? 'null' : entityJson(text, fields);
    });
    sendJsonText(res, 200, `{"items":[${items.join(',')}]}`);
  },
});

/** Canonical form of a ref from a request, or null when it does not parse (answered as "not found"). */
function canonicalRefOrNull(ref: string): string | null {
  try {
    return stringifyEntityRef(parseEntityRef(ref));
  } catch {
    return null;
  }
}
