import type { Server } from 'node:http';
import type { Express } from 'express';
import { StartupError } from './StartupError.js';

/** Binds the HTTP port; a port in use or not permitted becomes a clear StartupError. */
export function listen(app: Express, port: number, host: string | undefined, origin: string | undefined): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = host ? app.listen(port, host) : app.listen(port);
    server.once('listening', () => resolve(server));
    server.once('error', (e: NodeJS.ErrnoException) => {
      const where = origin ? ` (backend.listen.port in ${origin})` : '';
      if (e.code === 'EADDRINUSE') {
        reject(new StartupError(`Port ${port} is already in use${where}. Stop the process using it, or choose another port with backend.listen.port.`));
      } else if (e.code === 'EACCES') {
        reject(new StartupError(`Not permitted to listen on port ${port}${where}. Use a port above 1024.`));
      } else {
        reject(new StartupError(`Cannot listen on port ${port}${where}: ${e.message}.`));
      }
    });
  });
}
