import type { JsonSchema } from '@atrium/backend-plugin-api';

/**
 * The SCIM 2.0 endpoint (`/api/auth/scim/v2`, scimRouter.ts) for the auth module's OpenAPI
 * fragment: paths relative to `/api/auth`, SCIM's media type, its error message, and the
 * `ETag`/`If-Match` versioning. The resources themselves are described by SCIM's own discovery
 * endpoints (`/Schemas`, `/ResourceTypes`), so their bodies are open objects here.
 */

const SCIM_TYPE = 'application/scim+json';
const tags = ['scim'];
/** Every SCIM route: a service API token holding the auth.scim scope, and the policy's auth.scim. */
const permission = { 'x-atrium-permission': 'auth.scim' };

/** A SCIM error message (RFC 7644 §3.12). */
export const scimErrorSchema: JsonSchema = {
  type: 'object',
  required: ['schemas', 'status'],
  properties: {
    schemas: { type: 'array', items: { type: 'string' } },
    status: { type: 'string', description: 'The HTTP status, as a string' },
    scimType: { type: 'string' },
    detail: { type: 'string' },
  },
};

const resource: JsonSchema = {
  type: 'object',
  description: 'A SCIM resource (its schema: GET /api/auth/scim/v2/Schemas)',
  properties: {
    schemas: { type: 'array', items: { type: 'string' } },
    id: { type: 'string' },
    externalId: { type: 'string' },
    meta: {
      type: 'object',
      properties: {
        resourceType: { type: 'string' },
        created: { type: 'string', format: 'date-time' },
        lastModified: { type: 'string', format: 'date-time' },
        location: { type: 'string' },
        version: { type: 'string', description: 'The weak entity tag, W/"<n>" (also the ETag header)' },
      },
    },
  },
  additionalProperties: true,
};
const listResponse: JsonSchema = {
  type: 'object',
  properties: {
    schemas: { type: 'array', items: { type: 'string' } },
    totalResults: { type: 'integer' },
    startIndex: { type: 'integer' },
    itemsPerPage: { type: 'integer' },
    Resources: { type: 'array', items: resource },
  },
};
const patchOp: JsonSchema = {
  type: 'object',
  required: ['schemas', 'Operations'],
  properties: {
    schemas: { type: 'array', items: { type: 'string' } },
    Operations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['op'],
        properties: { op: { type: 'string', description: 'add, remove or replace (any case)' }, path: { type: 'string' }, value: {} },
      },
    },
  },
};

const scimBody = (schema: JsonSchema) => ({ required: true, content: { [SCIM_TYPE]: { schema }, 'application/json': { schema } } });
const scimReply = (description: string, schema: JsonSchema, etag = false) => ({
  description,
  content: { [SCIM_TYPE]: { schema } },
  ...(etag ? { headers: { ETag: { description: 'The resource version, W/"<n>"', schema: { type: 'string' } } } } : {}),
});
const err = (description: string) => ({ description, content: { [SCIM_TYPE]: { schema: { $ref: '#/components/schemas/ScimError' } } } });
const denied = {
  '401': err('No API token, or not a valid one'),
  '403': err('Not a service token, or without the auth.scim scope, or the policy denies auth.scim'),
};
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const ifMatchParam = {
  name: 'If-Match',
  in: 'header',
  required: false,
  schema: { type: 'string' },
  description: 'Only if the resource is at one of these versions (W/"<n>" or "<n>", comma-separated), or * for any: otherwise 412 and nothing changes',
};
const listParams = [
  { name: 'filter', in: 'query', required: false, schema: { type: 'string' }, description: 'A SCIM filter, e.g. userName eq "jane@example.com"' },
  { name: 'startIndex', in: 'query', required: false, schema: { type: 'integer', minimum: 1 } },
  { name: 'count', in: 'query', required: false, schema: { type: 'integer', minimum: 0, maximum: 200 } },
  { name: 'sortBy', in: 'query', required: false, schema: { type: 'string' } },
  { name: 'sortOrder', in: 'query', required: false, schema: { enum: ['ascending', 'descending'] } },
  { name: 'attributes', in: 'query', required: false, schema: { type: 'string' } },
  { name: 'excludedAttributes', in: 'query', required: false, schema: { type: 'string' } },
];

function resourcePaths(plural: 'Users' | 'Groups', singular: 'user' | 'group') {
  const removes = singular === 'user' ? 'the User entity; its sessions and tokens are revoked' : 'the Group entity and its memberships';
  return {
    [`/scim/v2/${plural}`]: {
      get: {
        summary: `List or filter ${plural}`,
        tags,
        ...permission,
        parameters: listParams,
        responses: { '200': scimReply('A SCIM ListResponse', listResponse), '400': err('A bad filter or query parameter'), ...denied },
      },
      post: {
        summary: `Create a ${singular} (it lands in the catalog)`,
        tags,
        ...permission,
        requestBody: scimBody(resource),
        responses: {
          '201': scimReply(`The ${singular}, with Location and ETag`, resource, true),
          '400': err('An invalid resource'),
          ...denied,
          '409': err('The userName is taken (uniqueness)'),
        },
      },
    },
    [`/scim/v2/${plural}/{id}`]: {
      get: {
        summary: `One ${singular}`,
        tags,
        ...permission,
        parameters: [idParam],
        responses: { '200': scimReply(`The ${singular}`, resource, true), ...denied, '404': err('No such resource') },
      },
      put: {
        summary: `Replace a ${singular}`,
        tags,
        ...permission,
        parameters: [idParam, ifMatchParam],
        requestBody: scimBody(resource),
        responses: {
          '200': scimReply(`The ${singular}, at its next version`, resource, true),
          '400': err('An invalid resource'),
          ...denied,
          '404': err('No such resource'),
          '409': err('Changed by another request meanwhile'),
          '412': err('If-Match names another version'),
        },
      },
      patch: {
        summary: `Change a ${singular} with a PatchOp (e.g. active=false, members add/remove)`,
        tags,
        ...permission,
        parameters: [idParam, ifMatchParam],
        requestBody: scimBody(patchOp),
        responses: {
          '200': scimReply(`The ${singular}`, resource, true),
          '400': err('An invalid PatchOp'),
          ...denied,
          '404': err('No such resource'),
          '412': err('If-Match names another version'),
        },
      },
      delete: {
        summary: `Delete a ${singular}: removes ${removes}`,
        tags,
        ...permission,
        parameters: [idParam, ifMatchParam],
        responses: { '204': { description: 'Deleted' }, ...denied, '404': err('No such resource'), '412': err('If-Match names another version') },
      },
    },
  };
}

const discovery = (summary: string, schema: JsonSchema) => ({
  get: { summary, tags, ...permission, responses: { '200': scimReply(summary, schema), ...denied } },
});
const discoveryOne = (summary: string) => ({
  get: { summary, tags, ...permission, parameters: [idParam], responses: { '200': scimReply(summary, resource), ...denied, '404': err('No such resource') } },
});

/** Paths under `/api/auth`. */
export const scimOpenApiPaths: Record<string, unknown> = {
  '/scim/v2/ServiceProviderConfig': discovery('What this SCIM server supports (patch, filter, sort, etag; not bulk)', resource),
  '/scim/v2/ResourceTypes': discovery('The resource types (User with the enterprise extension, Group)', listResponse),
  '/scim/v2/ResourceTypes/{id}': discoveryOne('One resource type'),
  '/scim/v2/Schemas': discovery('The schemas of the resources', listResponse),
  '/scim/v2/Schemas/{id}': discoveryOne('One schema'),
  ...resourcePaths('Users', 'user'),
  ...resourcePaths('Groups', 'group'),
  '/scim/v2/Bulk': { post: { summary: 'Bulk operations: not supported', tags, ...permission, responses: { '501': err('Not supported'), ...denied } } },
};
