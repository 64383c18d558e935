import fs from 'node:fs';
import path from 'node:path';
import type { ConfigService } from '@atrium/backend-plugin-api';
import { StartupError } from '../host/StartupError.js';

export const DEFAULT_DATA_DIR_NAME = '.atrium';

/**
 * The absolute, writable data directory: `backend.dataDir` resolved against the file that set it,
 * or `.atrium` beside the main config file. Created if missing; a directory that cannot be created or
 * written stops the start with the key that names it.
 */
export function resolveDataDir(config: ConfigService): string {
  const configured = config.get('backend.dataDir') as string | undefined;
  const dir = configured
    ? path.resolve(config.baseDirOf('backend.dataDir'), configured)
    : path.resolve(config.baseDirOf('backend.dataDir'), DEFAULT_DATA_DIR_NAME);
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (e) {
    const where = configured ? `${config.originOf('backend.dataDir') ?? 'Config'}: backend.dataDir` : 'The default data directory';
    throw new StartupError(`${where} (${dir}) is not writable: ${(e as Error).message}. Set backend.dataDir to a writable directory.`);
  }
  return dir;
}
