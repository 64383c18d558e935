import { defineRoute, InputError, NotFoundError } from '@atrium/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@atrium/catalog-model';
import { markForStitch } from '../store/entityWriter.js';
import { withStitchScope } from '../store/stitchScope.js';
import * as schemas from './schemas.js';
import { notFoundReply, type CatalogRouteServices } from './services.js';

interface RefreshBody {
  entityRef: string;
  authorizationToken?: string;
}

const notInCatalog = (ref: string) => new NotFoundError(`Entity ${ref} is not in the catalog`);

/** The canonical ref of the body's entityRef; a 400 when it does not parse. */
function refOf(body: RefreshBody): string {
  try {
    return stringifyEntityRef(parseEntityRef(body.entityRef));
  } catch (e) {
    throw new InputError(`Invalid entityRef: ${(e as Error).message}`);
  }
}

/** POST /refresh: re-reads the entity's location now (or re-stitches an entity no location owns). */
export const refreshEntity = defineRoute<CatalogRouteServices, Record<string, string>, Record<string, unknown>, RefreshBody>({
  method: 'post',
  path: '/refresh',
  body: schemas.refreshBody,
  // An entity the caller may not read is answered like a missing one (404); one it reads but may not refresh, 403.
  permission: {
    name: 'catalog.entity.refresh',
    resourceRef: ({ body }) => refOf(body),
    hiddenAs: (_r, ref) => notInCatalog(ref),
    hiddenUnless: 'catalog.entity.read',
  },
  summary: "Re-read an entity's location now",
  response: { description: 'Refreshed (empty body)' },
  responses: notFoundReply('No such entity'),
  handler: async ({ body, res }, ctx) => {
    const ref = refOf(body);
    const record = await ctx.lookup.byRef(ref);
    if (!record) throw notInCatalog(ref);
    if (record.location_id) {
      await ctx.locations.requestRefresh(record.location_id);
      await ctx.processor.processNow(record.location_id);
    } else {
      await withStitchScope(async (scope) => {
        await markForStitch(ctx.db, [ref], [], scope);
        await ctx.processor.stitch({ settle: true, scope });
      });
    }
    res.status(200).end();
  },
});
