import { defineRoute, type JsonSchema } from '@atrium/backend-plugin-api';
import { stringifyEntityRef } from '@atrium/catalog-model';
import type { EntityOverlayChanges } from '../../common/index.js';
import { notFound } from '../query/entityLookup.js';
import { ANNOTATE_PERMISSION, writeEntityOverlay } from '../overlays/entityOverlays.js';
import { MAX_OVERLAY_KEYS, MAX_OVERLAY_VALUE_LENGTH } from '../overlays/overlayRules.js';
import * as schemas from './schemas.js';
import { componentRef, notFoundReply, READ_ENTITIES, type CatalogRouteServices, type EntityNameParams } from './services.js';

interface OverlayBody extends EntityOverlayChanges {
  source?: string;
}

interface OverlayQuery {
  source?: string;
}

/** Any source's overlay may be cleared over HTTP (an automation's too, once the automation is gone). */
const SOURCE_SCHEMA: JsonSchema = {
  type: 'string',
  pattern: '^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,199}$',
  description: 'Whose overlay: `api` (default), `api:<name>`, `automation:<id>`, …',
};
/**
 * Over HTTP a caller writes only `api` or `api:<name>` overlays: the others belong to plugins,
 * which write through CatalogService (an automation's `automation:<id>`), and a person editing
 * one would make the plugin's later changes and removals act on values it never set.
 */
const WRITE_SOURCE_SCHEMA: JsonSchema = {
  type: 'string',
  pattern: '^api(:[A-Za-z0-9][A-Za-z0-9._:/@-]{0,195})?$',
  description: '`api` (default) or `api:<name>`; other sources are written by plugins through CatalogService',
};
/** key: value to set, key: null to remove. Keys are checked against the catalog model's rules in the handler (a 400 naming each). */
const changesSchema = (what: string): JsonSchema => ({
  type: 'object',
  maxProperties: MAX_OVERLAY_KEYS,
  additionalProperties: { type: ['string', 'null'], maxLength: MAX_OVERLAY_VALUE_LENGTH },
  description: `${what} to set (a string) or remove (null)`,
});

const overlayBody: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { source: WRITE_SOURCE_SCHEMA, annotations: changesSchema('Annotations'), labels: changesSchema('Labels') },
};

const overlayReply: JsonSchema = {
  type: 'object',
  required: ['entityRef', 'overlay'],
  properties: {
    entityRef: { type: 'string' },
    overlay: {
      type: 'object',
      properties: {
        source: { type: 'string' },
        annotations: { type: 'object', additionalProperties: { type: 'string' } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
    entity: componentRef('Entity'),
  },
};

const refOf = ({ kind, namespace, name }: EntityNameParams) => stringifyEntityRef({ kind, namespace, name });

/** The check on the entity itself; one the caller may not read is a 404 like a missing one, one it reads but may not annotate a 403. */
const annotatePermission = {
  name: ANNOTATE_PERMISSION,
  resourceRef: ({ params }: { params: EntityNameParams }) => refOf(params),
  hiddenAs: ({ params }: { params: EntityNameParams }) => notFound(params.kind, params.namespace, params.name),
  hiddenUnless: READ_ENTITIES,
};

/**
 * POST /entities/by-name/:kind/:namespace/:name/overlay: sets or removes annotations and labels
 * in the entity's metadata overlay of `source` (default `api`). Keys the entity's source sets
 * are refused (409). Audited as `catalog.overlay.update`; the entity is re-stitched before the answer.
 */
export const setEntityOverlay = defineRoute<CatalogRouteServices, EntityNameParams, Record<string, unknown>, OverlayBody>({
  method: 'post',
  path: '/entities/by-name/:kind/:namespace/:name/overlay',
  params: schemas.entityNameParams,
  body: overlayBody,
  permission: annotatePermission,
  summary: "Set or remove annotations and labels in an entity's metadata overlay",
  response: { description: "The source's overlay after the change and the entity as served now", schema: overlayReply },
  responses: { ...notFoundReply('No such entity'), '409': { description: "A key the entity's own source sets" } },
  handler: async ({ params, body, caller }, ctx) => {
    const { source = 'api', ...changes } = body;
    return writeEntityOverlay(ctx, { ref: refOf(params), changes, actor: caller, source, permissionChecked: true });
  },
});

/** DELETE /entities/by-name/:kind/:namespace/:name/overlay?source=: removes everything `source` (default `api`) set. Audited as `catalog.overlay.delete`. */
export const clearEntityOverlay = defineRoute<CatalogRouteServices, EntityNameParams, OverlayQuery>({
  method: 'delete',
  path: '/entities/by-name/:kind/:namespace/:name/overlay',
  params: schemas.entityNameParams,
  query: { type: 'object', additionalProperties: false, properties: { source: SOURCE_SCHEMA } },
  permission: annotatePermission,
  summary: "Clear one source's metadata overlay of an entity",
  response: { description: 'The (now empty) overlay and the entity as served now', schema: overlayReply },
  responses: notFoundReply('No such entity'),
  handler: async ({ params, query, caller }, ctx) =>
    writeEntityOverlay(ctx, { ref: refOf(params), actor: caller, source: query.source ?? 'api', permissionChecked: true }),
});
