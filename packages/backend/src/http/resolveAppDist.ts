import { createRequire } from 'node:module';
import path from 'node:path';

/** Where the built frontend lives: packages/app/dist, found through the workspace link. */
export function resolveAppDist(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    return path.join(path.dirname(require.resolve('@atrium/app/package.json')), 'dist');
  } catch {
    return undefined;
  }
}
