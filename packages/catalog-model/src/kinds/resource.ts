import type { Entity } from '../entity.js';
import type { KindDefinition } from '../kindDefinition.js';
import { RELATION_DEPENDENCY_OF, RELATION_DEPENDS_ON, RELATION_OWNED_BY, RELATION_PART_OF } from '../relations.js';
import { BACKSTAGE_API_VERSIONS, nonEmptyString, relationField, stringArray } from './shared.js';

export type ResourceSpec = {
  /** E.g. `database`, `s3-bucket`, `kubernetes-cluster` (not enforced). */
  type: string;
  owner: string;
  system?: string;
  dependsOn?: string[];
  dependencyOf?: string[];
};

export type ResourceEntity = Entity & { kind: 'Resource'; spec: ResourceSpec };

export const resourceKind: KindDefinition = {
  apiVersion: BACKSTAGE_API_VERSIONS,
  kind: 'Resource',
  description: 'Infrastructure a component needs at runtime, such as a database or a bucket.',
  specSchema: {
    type: 'object',
    required: ['type', 'owner'],
    properties: {
      type: nonEmptyString,
      owner: nonEmptyString,
      system: nonEmptyString,
      dependsOn: stringArray,
      dependencyOf: stringArray,
    },
  },
  relations: [
    relationField('owner', RELATION_OWNED_BY, 'Group'),
    relationField('system', RELATION_PART_OF, 'System'),
    relationField('dependsOn', RELATION_DEPENDS_ON),
    relationField('dependencyOf', RELATION_DEPENDENCY_OF),
  ],
};
