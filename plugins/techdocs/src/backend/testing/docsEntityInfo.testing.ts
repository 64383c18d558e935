import type { DocsEntityInfo } from '../builds/docsEntities.js';

/** A component's docs row as the catalog sync would write it: `dir:.` docs, the rest unset unless given. */
export function docsEntityInfo(name: string, fields: Partial<DocsEntityInfo> = {}): DocsEntityInfo {
  return {
    entityRef: `component:default/${name}`,
    namespace: 'default',
    kind: 'component',
    name,
    title: name,
    description: null,
    owner: null,
    specType: null,
    lifecycle: null,
    techdocsRef: 'dir:.',
    locationRef: null,
    ...fields,
  };
}
