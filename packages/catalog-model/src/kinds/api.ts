import type { Entity } from '../entity.js';
import type { KindDefinition } from '../kindDefinition.js';
import { RELATION_OWNED_BY, RELATION_PART_OF } from '../relations.js';
import { BACKSTAGE_API_VERSIONS, nonEmptyString, relationField } from './shared.js';

export type ApiSpec = {
  /** E.g. `openapi`, `asyncapi`, `graphql`, `grpc`, `trpc`, `mcp-server`. */
  type: string;
  lifecycle: string;
  owner: string;
  system?: string;
  /** The API definition text. Required unless `type` is `mcp-server`. */
  definition?: string;
  /** Endpoints of an MCP server. Required (at least one) when `type` is `mcp-server`. */
  remotes?: Array<{ type: string; url: string }>;
};

export type ApiEntity = Entity & { kind: 'API'; spec: ApiSpec };

export const apiKind: KindDefinition = {
  apiVersion: BACKSTAGE_API_VERSIONS,
  kind: 'API',
  description: 'An interface that components provide or consume.',
  specSchema: {
    type: 'object',
    required: ['type', 'lifecycle', 'owner'],
    properties: {
      type: nonEmptyString,
      lifecycle: nonEmptyString,
      owner: nonEmptyString,
      system: nonEmptyString,
      definition: nonEmptyString,
    },
    // Backstage keeps a separate schema for MCP servers: `remotes` instead of `definition`.
    if: { type: 'object', required: ['type'], properties: { type: { const: 'mcp-server' } } },
    then: {
      required: ['remotes'],
      properties: {
        remotes: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['type', 'url'],
            properties: { type: nonEmptyString, url: nonEmptyString },
          },
        },
      },
    },
    else: { required: ['definition'] },
  },
  relations: [relationField('owner', RELATION_OWNED_BY, 'Group'), relationField('system', RELATION_PART_OF, 'System')],
};
