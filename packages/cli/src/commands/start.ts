import { parseArgs } from 'node:util';
import { createBackend, defaultPlugins, loadConfig, resolveAppDist } from '@atrium/backend';
import { limitHeapGrowth } from '../heapGrowth.js';

/** `atrium start [--config FILE]...`: starts the portal and keeps running until SIGINT/SIGTERM. */
export async function startCommand(argv: string[]): Promise<number> {
  let values: { config?: string[] | undefined };
  try {
    ({ values } = parseArgs({ args: argv, options: { config: { type: 'string', multiple: true, short: 'c' } }, strict: true }));
  } catch (e) {
    const err = new Error(`${(e as Error).message}. Usage: atrium start [--config FILE]...`);
    err.name = 'UsageError';
    throw err;
  }
  const config = loadConfig({ rootDir: process.cwd(), configFiles: values.config ?? [] });
  const backend = await createBackend({ config, plugins: defaultPlugins, appDistDir: resolveAppDist() ?? null });
  // The embedded database runs in this process: keep the heap tight there (see heapGrowth.ts). Set
  // before the plugins start reading; the catalog's read and TechDocs' render threads share it.
  const heapFlag = backend.database.info.mode === 'embedded' ? limitHeapGrowth() : undefined;
  if (heapFlag)
    backend.logger.info(
      { v8Flag: heapFlag },
      `embedded database: the JavaScript heap is kept tight (${heapFlag}; start Node with your own to choose otherwise)`,
    );
  const { port } = await backend.start();
  const shown = (config.get('backend.baseUrl') as string | undefined) ?? `http://localhost:${port}`;
  backend.logger.info({ port }, `Atrium is running at ${shown}`);
  console.error(`\n  Atrium is running at ${shown}  (database: ${backend.database.info.mode}, ${backend.database.info.location})\n`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      backend.logger.info({ signal }, 'shutting down');
      const force = setTimeout(() => resolve(1), 15_000);
      force.unref();
      backend.stop().then(
        () => resolve(0),
        (e) => {
          backend.logger.error({ err: e }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
}
