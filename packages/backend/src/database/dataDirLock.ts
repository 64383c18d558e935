import fs from 'node:fs';
import path from 'node:path';
import { StartupError } from '../host/StartupError.js';

/**
 * PGlite does not stop two processes from opening one data directory (and silently loses data
 * when they do), so the host takes a lock file beside it holding its pid. A lock left by a process
 * that no longer runs is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const lockFile = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockFile, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(lockFile, 'utf8').trim() === String(process.pid)) fs.unlinkSync(lockFile);
        } catch {
          /* already gone */
        }
      };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') {
        throw new StartupError(
          `Cannot create the lock file ${lockFile} for the embedded database: ${(e as Error).message}. ` +
            `Make sure ${path.dirname(lockFile)} is writable, or point backend.database.connection.directory elsewhere.`,
        );
      }
      const holder = Number.parseInt(fs.readFileSync(lockFile, 'utf8').trim(), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new StartupError(
          `The embedded database directory ${dataDir} is in use by another Atrium process (pid ${holder}). ` +
            `Stop that process first, or give this one its own directory with backend.database.connection.directory.`,
        );
      }
      fs.rmSync(lockFile, { force: true }); // stale: its process is gone
    }
  }
  throw new StartupError(`Could not take the lock file ${lockFile}; another process keeps creating it.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
