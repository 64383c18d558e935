export { techdocsPlugin, techdocsServiceRef, type TechdocsService } from './plugin.js';
export type { DocsTree } from './source/DocsSource.js';
