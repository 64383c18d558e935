import type { Entity } from '../entity.js';
import type { KindDefinition } from '../kindDefinition.js';
import {
  RELATION_CONSUMES_API,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
  RELATION_PROVIDES_API,
} from '../relations.js';
import { BACKSTAGE_API_VERSIONS, nonEmptyString, relationField, stringArray } from './shared.js';

export type ComponentSpec = {
  /** E.g. `service`, `website`, `library` (not enforced). */
  type: string;
  /** E.g. `experimental`, `production`, `deprecated` (not enforced). */
  lifecycle: string;
  owner: string;
  system?: string;
  subcomponentOf?: string;
  providesApis?: string[];
  consumesApis?: string[];
  dependsOn?: string[];
  dependencyOf?: string[];
};

export type ComponentEntity = Entity & { kind: 'Component'; spec: ComponentSpec };

export const componentKind: KindDefinition = {
  apiVersion: BACKSTAGE_API_VERSIONS,
  kind: 'Component',
  description: 'A piece of software, such as a service, website or library.',
  specSchema: {
    type: 'object',
    required: ['type', 'lifecycle', 'owner'],
    properties: {
      type: nonEmptyString,
      lifecycle: nonEmptyString,
      owner: nonEmptyString,
      system: nonEmptyString,
      subcomponentOf: nonEmptyString,
      providesApis: stringArray,
      consumesApis: stringArray,
      dependsOn: stringArray,
      dependencyOf: stringArray,
    },
  },
  relations: [
    relationField('owner', RELATION_OWNED_BY, 'Group'),
    relationField('system', RELATION_PART_OF, 'System'),
    relationField('subcomponentOf', RELATION_PART_OF, 'Component'),
    relationField('providesApis', RELATION_PROVIDES_API, 'API'),
    relationField('consumesApis', RELATION_CONSUMES_API, 'API'),
    // No default kind: a dependency may be a Component or a Resource, so refs must say which.
    relationField('dependsOn', RELATION_DEPENDS_ON),
    relationField('dependencyOf', RELATION_DEPENDENCY_OF),
  ],
};
