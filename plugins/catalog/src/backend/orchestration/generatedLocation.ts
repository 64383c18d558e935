import { ANNOTATION_LOCATION, ANNOTATION_ORIGIN_LOCATION, stringifyEntityRef, type Entity } from '@atrium/catalog-model';
import { locationRefOf, type LocationSpec } from '../ingestion/index.js';
import { sha1 } from '../stitching/hash.js';

/**
 * The Location entity that stands for a registered or configured location, named like
 * Backstage's `generated-<sha1 of type:target>`; everything read from the location's own
 * target has it as parent (ancestry), and getLocationByEntity starts from it.
 */
export function generatedLocationEntity(spec: Pick<LocationSpec, 'type' | 'target' | 'presence'>): Entity {
  const ref = locationRefOf(spec);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Location',
    metadata: {
      name: `generated-${sha1(ref)}`,
      namespace: 'default',
      annotations: { [ANNOTATION_LOCATION]: ref, [ANNOTATION_ORIGIN_LOCATION]: ref },
    },
    spec: { type: spec.type, target: spec.target, ...(spec.presence === 'optional' ? { presence: 'optional' } : {}) },
  };
}

export function generatedLocationRef(spec: Pick<LocationSpec, 'type' | 'target'>): string {
  return stringifyEntityRef(generatedLocationEntity(spec));
}
