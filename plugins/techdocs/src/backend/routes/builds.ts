import { defineRoute } from '@atrium/backend-plugin-api';
import type { BuildRequestResponse, EntityTriplet } from '../../common/index.js';
import { statusOf } from '../builds/docsEntities.js';
import { entityRefOf, noDocs, notFound, tripletParams, type TechdocsRouteServices } from './shared.js';

/** POST /builds/:namespace/:kind/:name: queue a build now. */
export const requestDocsBuild = defineRoute<TechdocsRouteServices, EntityTriplet, Record<string, never>, { force: boolean }>({
  method: 'post',
  path: '/builds/:namespace/:kind/:name',
  params: tripletParams(),
  body: { type: 'object', additionalProperties: false, properties: { force: { type: 'boolean', default: false } } },
  // An entity the caller may not read is answered like one without docs (404, not 403).
  permission: {
    name: 'techdocs.build',
    resourceRef: ({ params }) => entityRefOf(params),
    hiddenAs: (_r, entityRef) => noDocs(entityRef),
    hiddenUnless: 'catalog.entity.read',
  },
  summary: 'Queue a build now (skipped when the source is unchanged, unless force)',
  response: { status: 202, description: 'Queued' },
  responses: notFound,
  handler: async ({ params, body, caller }, { entities, audit, onQueued }): Promise<BuildRequestResponse> => {
    const entityRef = entityRefOf(params);
    const row = await entities.requestBuild(entityRef, body.force, async (trx) => {
      await audit.record({ actor: caller, action: 'techdocs.build.request', target: entityRef, meta: { force: body.force } }, { trx });
    });
    if (!row) throw noDocs(entityRef);
    onQueued();
    return { entityRef, status: statusOf(row) };
  },
});
