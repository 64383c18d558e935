import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The backend package's version, shown on the system page and in the OpenAPI document. */
export const ATRIUM_VERSION: string = (require('../../package.json') as { version: string }).version;
