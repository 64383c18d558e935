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
// The probe plugin registers `probe.ping` after the automations plugin started; the rules on it
// are enabled from that moment (automations.integration.test.ts proves an event emitted in the
// same tick runs them). Waiting until the list says so keeps this test about the kill, not start-up.
for (let i = 0; i < 600; i++) {
  const list = await backend.json<{ items: Array<{ id: string; enabled: boolean }> }>('/api/automations/automations');
  if (list.body.items.find((a) => a.id === 'hold')?.enabled) break;
  await new Promise((r) => setTimeout(r, 50));
}
await backend.backend.service(automationsServiceRef).emit('probe.ping', { payload: JSON.parse(process.env['ATRIUM_REPLICA_PAYLOAD'] ?? '{}') as unknown });
process.stdout.write('READY\n');
