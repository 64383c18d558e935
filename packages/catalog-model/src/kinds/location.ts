import type { Entity } from '../entity.js';
import type { KindDefinition } from '../kindDefinition.js';
import { BACKSTAGE_API_VERSIONS, nonEmptyString, stringArray } from './shared.js';

export type LocationSpec = {
  /** E.g. `url` or `file`; defaults to the type of the location that holds this entity. */
  type?: string;
  target?: string;
  targets?: string[];
  /** Whether a missing target is an error. Defaults to `required`. */
  presence?: 'required' | 'optional';
};

export type LocationEntity = Entity & { kind: 'Location'; spec: LocationSpec };

/** Points at more descriptor files. Its targets become entities, not relations. */
export const locationKind: KindDefinition = {
  apiVersion: BACKSTAGE_API_VERSIONS,
  kind: 'Location',
  description: 'A pointer to further descriptor files to read into the catalog.',
  specSchema: {
    type: 'object',
    properties: {
      type: nonEmptyString,
      target: nonEmptyString,
      targets: stringArray,
      presence: { type: 'string', enum: ['required', 'optional'] },
    },
  },
};
