import type { Entity } from '../entity.js';
import type { KindDefinition } from '../kindDefinition.js';
import { RELATION_OWNED_BY, RELATION_PART_OF } from '../relations.js';
import { BACKSTAGE_API_VERSIONS, nonEmptyString, relationField } from './shared.js';

export type DomainSpec = { owner: string; subdomainOf?: string; type?: string };

export type DomainEntity = Entity & { kind: 'Domain'; spec: DomainSpec };

export const domainKind: KindDefinition = {
  apiVersion: BACKSTAGE_API_VERSIONS,
  kind: 'Domain',
  description: 'A business area that groups related systems.',
  specSchema: {
    type: 'object',
    required: ['owner'],
    properties: { owner: nonEmptyString, subdomainOf: nonEmptyString, type: nonEmptyString },
  },
  relations: [relationField('owner', RELATION_OWNED_BY, 'Group'), relationField('subdomainOf', RELATION_PART_OF, 'Domain')],
};
