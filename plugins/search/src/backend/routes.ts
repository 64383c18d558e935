import { defineRoute, InputError, type AuditService, type Db, type Logger, type PermissionsService, type RouteDefinition } from '@atrium/backend-plugin-api';
import type { Indexer } from './indexer.js';
import { SEARCH_PERMISSIONS } from './permissions.js';
import { parseSearchParams } from './queryParams.js';
import { isCancelledStatement, runSearch } from './searchQuery.js';
import type { SearchQueryResponse } from '../common/index.js';

export interface SearchRouteServices {
  db: Db;
  indexer: Indexer;
  permissions: PermissionsService;
  audit: AuditService;
  logger: Logger;
}

const query = defineRoute<SearchRouteServices>({
  method: 'get',
  path: '/query',
  permission: SEARCH_PERMISSIONS.query,
  summary: 'Search every document type (Backstage query shape, plus facets and a suggestion)',
  description:
    'term, types (repeatable), filters[kind|owner|lifecycle|tags|namespace], pageCursor, pageLimit (1-100, default 25). ' +
    'Results the caller may not read (catalog.entity.read) are neither returned nor counted.',
  response: { description: 'A page of results', schema: { $ref: '#/components/schemas/SearchQueryResponse' } },
  responses: { '400': { description: 'Unknown type, filter or parameter, or a page cursor of another query' } },
  handler: async ({ req, res, caller }, { db, indexer, permissions, logger }) => {
    const params = parseSearchParams(req.query as Record<string, unknown>, indexer.types());
    // A caller that goes away before the answer (the palette's superseded keystrokes) stops its statement.
    const gone = new AbortController();
    const onClose = () => {
      if (!res.writableFinished) gone.abort();
    };
    res.once('close', onClose);
    try {
      return await runSearch(db, permissions, caller, params, logger, gone.signal);
    } catch (e) {
      // Nobody is there to read an answer.
      if (gone.signal.aborted && isCancelledStatement(e)) return ABANDONED;
      throw e;
    } finally {
      res.off('close', onClose);
    }
  },
});

const ABANDONED: SearchQueryResponse = { results: [], numberOfResults: 0, facets: { type: [], kind: [], owner: [], lifecycle: [], tags: [] } };

const status = defineRoute<SearchRouteServices>({
  method: 'get',
  path: '/status',
  permission: SEARCH_PERMISSIONS.status,
  summary: 'Index state per document type: build progress, document counts',
  response: { description: 'Index status', schema: { $ref: '#/components/schemas/SearchStatus' } },
  handler: async (_r, { indexer }) => indexer.status(),
});

interface RebuildBody {
  types?: string[];
}

const rebuild = defineRoute<SearchRouteServices, Record<string, string>, Record<string, never>, RebuildBody>({
  method: 'post',
  path: '/rebuild',
  permission: SEARCH_PERMISSIONS.rebuild,
  body: { type: 'object', properties: { types: { type: 'array', items: { type: 'string', maxLength: 50 }, maxItems: 50 } }, additionalProperties: false },
  summary: 'Rebuild the index of some or all document types (in the background; follow /status)',
  response: {
    status: 202,
    description: 'Started',
    schema: { type: 'object', properties: { started: { type: 'array', items: { type: 'string' } }, status: { $ref: '#/components/schemas/SearchStatus' } } },
  },
  handler: async ({ body, caller }, { indexer, audit }) => {
    const known = indexer.types();
    const types = body?.types?.length ? body.types : known;
    const unknown = types.filter((t) => !known.includes(t));
    if (unknown.length > 0) {
      throw new InputError(`Unknown type "${unknown[0]}": allowed types are ${known.join(', ')}`);
    }
    // The builds are claimed and the request audited in one transaction: both or neither.
    await indexer.requestRebuild(types, `requested by ${caller.userEntityRef}`, async (trx, outcome) => {
      await audit.record({ actor: caller, action: 'search.index.rebuild', target: types.join(','), meta: { types, ...outcome } }, { trx });
    });
    return { started: types, status: await indexer.status() };
  },
});

export const searchRoutes: RouteDefinition<SearchRouteServices>[] = [query, status, rebuild];
