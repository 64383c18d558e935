import type { Entity } from '../entity.js';
import type { KindDefinition } from '../kindDefinition.js';
import { RELATION_MEMBER_OF } from '../relations.js';
import type { EntityProfile } from './group.js';
import { BACKSTAGE_API_VERSIONS, profileSchema, relationField, stringArray } from './shared.js';

export type UserSpec = {
  profile?: EntityProfile;
  /**
   * Typed optional, as in Backstage's TypeScript type, but Backstage's JSON Schema (and so
   * validation) requires it: a descriptor must list it, possibly empty.
   */
  memberOf?: string[];
};

export type UserEntity = Entity & { kind: 'User'; spec: UserSpec };

export const userKind: KindDefinition = {
  apiVersion: BACKSTAGE_API_VERSIONS,
  kind: 'User',
  description: 'A person, such as an employee or contractor.',
  specSchema: {
    type: 'object',
    required: ['memberOf'],
    properties: { profile: profileSchema, memberOf: stringArray },
  },
  relations: [relationField('memberOf', RELATION_MEMBER_OF, 'Group')],
};
