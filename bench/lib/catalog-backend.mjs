#!/usr/bin/env node
// The Atrium backend with only the catalog (and the host's system plugin), started like
// `atrium start --config FILE`: the counterpart of the Backstage anchor, whose backend had the
// catalog plugin only. bench/catalog.mjs uses it unless given `--plugins all`.
//
//   node bench/lib/catalog-backend.mjs --config FILE
import { parseArgs } from 'node:util';
import { coreServices, createServiceFactory } from '@atrium/backend-plugin-api';
import { createBackend, loadConfig } from '@atrium/backend';
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import { systemPlugin } from '@atrium/plugin-system/backend';

const { values } = parseArgs({ options: { config: { type: 'string', multiple: true } }, strict: true });
const config = loadConfig({ rootDir: process.cwd(), configFiles: values.config ?? [] });
// BENCH_EVENT_LOG=off: a no-op event log, to measure what the catalog's appends cost (issue 18).
const noEventLog = {
  append: async () => [],
  read: async () => ({ events: [], next: '0' }),
  head: async () => '0',
  follow: () => ({ stop: async () => {} }),
  stats: async () => ({ rows: 0, bytes: 0, oldestId: null, newestId: null, oldestAt: null, retentionDays: 0 }),
};
const services = process.env.BENCH_EVENT_LOG === 'off' ? [createServiceFactory(coreServices.eventLog, () => noEventLog)] : [];
const backend = await createBackend({ config, plugins: [systemPlugin, catalogPlugin], appDistDir: null, services });
const { port } = await backend.start();
backend.logger.info({ port, plugins: ['system', 'catalog'] }, `catalog-only backend running on port ${port}`);

let stopping = false;
const shutdown = () => {
  if (stopping) return;
  stopping = true;
  const force = setTimeout(() => process.exit(1), 15_000);
  force.unref();
  backend.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
