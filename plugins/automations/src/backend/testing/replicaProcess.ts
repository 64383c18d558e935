/**
 * A backend replica in its own process, for the kill -9 test: joins the Postgres database in
 * ATRIUM_REPLICA_DB with the config in ATRIUM_REPLICA_CONFIG (JSON), emits one `probe.ping`
 * event with ATRIUM_REPLICA_PAYLOAD, and prints `READY` once it has.
 */
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import { startTestBackend } from '@atrium/test-utils';
import { automationsPlugin } from '../plugin.js';
import { automationsServiceRef } from '../service.js';
import { probePlugin } from './probePlugin.js';

const backend = await startTestBackend({
  database: 'postgres',
  postgresUrl: process.env['ATRIUM_REPLICA_DB']!,
  replicaId: process.env['ATRIUM_REPLICA_ID'] ?? 'child',
  plugins: [catalogPlugin, automationsPlugin, probePlugin],
  config: JSON.parse(process.env['ATRIUM_REPLICA_CONFIG'] ?? '{}') as Record<string, unknown>,
});
await backend.backend.service(automationsServiceRef).emit('probe.ping', { payload: JSON.parse(process.env['ATRIUM_REPLICA_PAYLOAD'] ?? '{}') as unknown });
process.stdout.write('READY\n');
