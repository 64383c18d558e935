/**
 * A real backend in its own process for the durability tests (kill -9 needs a process):
 * catalog + scaffolder + the test-only actions. Settings come as JSON in ATRIUM_DURABLE_CHILD;
 * prints `READY <url>` on stdout once it serves.
 */
import { ConfigBundle, createBackend, createLogger } from '@atrium/backend';
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import { scaffolderPlugin } from '../plugin.js';
import { durableTestActionsPlugin } from './durableActions.testing.js';

interface ChildSettings {
  port: number;
  dataDir: string;
  database: { client: 'pg' | 'pglite'; connection: string };
  root: string;
  countDir: string;
  replicaId: string;
}

const settings = JSON.parse(process.env['ATRIUM_DURABLE_CHILD'] ?? '{}') as ChildSettings;
const config = ConfigBundle.fromObject(
  {
    backend: {
      baseUrl: `http://127.0.0.1:${settings.port}`,
      listen: { port: settings.port, host: '127.0.0.1' },
      dataDir: settings.dataDir,
      database: settings.database,
      scheduler: { pollIntervalMs: 200 },
    },
    catalog: { locations: [{ type: 'file', target: `${settings.root}/catalog.yaml` }], processingPollMs: 100, readers: { fileRoots: [settings.root] } },
    scaffolder: { pollMs: 100, taskTimeoutSeconds: 2, waitPollSeconds: 1, publish: { fileRoots: [settings.root] } },
  },
  settings.root,
  'durable-child.yaml',
);
const backend = await createBackend({
  config,
  plugins: [catalogPlugin, scaffolderPlugin, durableTestActionsPlugin(settings.countDir)],
  logger: createLogger(process.env['LOG_LEVEL'] ?? 'silent'),
  appDistDir: null,
  replicaId: settings.replicaId,
});
const { url } = await backend.start();
process.stdout.write(`READY ${url}\n`);
const stop = () => void backend.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
