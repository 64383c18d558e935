#!/usr/bin/env node
// The Atrium backend with only the catalog (and the host's system plugin), started like
// `atrium start --config FILE`: the counterpart of the Backstage anchor, whose backend had the
// catalog plugin only. bench/catalog.mjs uses it unless given `--plugins all`.
//
//   node bench/lib/catalog-backend.mjs --config FILE
import { parseArgs } from 'node:util';
import { coreServices, createServiceFactory } from '@atrium/backend-plugin-api';
import { createBackend, defaultPlugins, loadConfig } from '@atrium/backend';
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
// BENCH_EXTRA_PLUGINS=scorecards,search: these default plugins too, to measure what each adds (issue 20).
const extra = (process.env.BENCH_EXTRA_PLUGINS ?? '').split(',').filter(Boolean);
const unknown = extra.filter((id) => !defaultPlugins.some((p) => p.id === id));
if (unknown.length) throw new Error(`BENCH_EXTRA_PLUGINS: no default plugin ${unknown.join(', ')} (there are ${defaultPlugins.map((p) => p.id).join(', ')})`);
const plugins = [systemPlugin, catalogPlugin, ...defaultPlugins.filter((p) => extra.includes(p.id) && p !== systemPlugin && p !== catalogPlugin)];
const backend = await createBackend({ config, plugins, appDistDir: null, services });
const { port } = await backend.start();
backend.logger.info({ port, plugins: plugins.map((p) => p.id) }, `catalog-only backend running on port ${port}`);

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
