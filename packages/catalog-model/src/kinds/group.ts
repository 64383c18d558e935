import type { Entity } from '../entity.js';
import type { KindDefinition } from '../kindDefinition.js';
import { RELATION_CHILD_OF, RELATION_HAS_MEMBER, RELATION_PARENT_OF } from '../relations.js';
import { BACKSTAGE_API_VERSIONS, nonEmptyString, profileSchema, relationField, stringArray } from './shared.js';

export type EntityProfile = { displayName?: string; email?: string; picture?: string };

export type GroupSpec = {
  /** E.g. `team`, `business-unit`, `product-area`, `root` (not enforced). */
  type: string;
  profile?: EntityProfile;
  parent?: string;
  /** Must be present; may be empty. */
  children: string[];
  members?: string[];
};

export type GroupEntity = Entity & { kind: 'Group'; spec: GroupSpec };

export const groupKind: KindDefinition = {
  apiVersion: BACKSTAGE_API_VERSIONS,
  kind: 'Group',
  description: 'A team or other organisational unit; groups form a hierarchy and have users as members.',
  specSchema: {
    type: 'object',
    required: ['type', 'children'],
    properties: {
      type: nonEmptyString,
      profile: profileSchema,
      parent: nonEmptyString,
      children: stringArray,
      members: stringArray,
    },
  },
  relations: [
    relationField('parent', RELATION_CHILD_OF, 'Group'),
    relationField('children', RELATION_PARENT_OF, 'Group'),
    relationField('members', RELATION_HAS_MEMBER, 'User'),
  ],
};
