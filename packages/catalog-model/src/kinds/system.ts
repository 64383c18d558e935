import type { Entity } from '../entity.js';
import type { KindDefinition } from '../kindDefinition.js';
import { RELATION_OWNED_BY, RELATION_PART_OF } from '../relations.js';
import { BACKSTAGE_API_VERSIONS, nonEmptyString, relationField } from './shared.js';

export type SystemSpec = { owner: string; domain?: string; type?: string };

export type SystemEntity = Entity & { kind: 'System'; spec: SystemSpec };

export const systemKind: KindDefinition = {
  apiVersion: BACKSTAGE_API_VERSIONS,
  kind: 'System',
  description: 'A collection of components, APIs and resources that together provide a capability.',
  specSchema: {
    type: 'object',
    required: ['owner'],
    properties: { owner: nonEmptyString, domain: nonEmptyString, type: nonEmptyString },
  },
  relations: [relationField('owner', RELATION_OWNED_BY, 'Group'), relationField('domain', RELATION_PART_OF, 'Domain')],
};
