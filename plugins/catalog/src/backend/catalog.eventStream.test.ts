import { testDatabaseKinds } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { component, startCatalog, yamlDocs, type CatalogTestkit } from './testing/catalogTestkit.testing.js';

/** Reads server-sent events from a stream until `done` says it has seen enough. */
async function readEvents(body: ReadableStream<Uint8Array>, done: (events: Array<{ event: string; data: unknown }>) => boolean, timeoutMs = 20_000) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const events: Array<{ event: string; data: unknown }> = [];
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  while (!done(events)) {
    if (Date.now() > deadline) throw new Error(`timed out; saw ${JSON.stringify(events)}`);
    const { value, done: ended } = await reader.read();
    if (ended) break;
    buffer += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.+)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) });
    }
  }
  await reader.cancel();
  return events;
}

describe.each(testDatabaseKinds())('GET /api/catalog/events on %s', (database) => {
  let kit: CatalogTestkit;
  beforeAll(async () => {
    kit = await startCatalog(database, { files: { 'c.yaml': yamlDocs(component('one')) } });
  });
  afterAll(async () => kit?.stop());

  it('streams entity changes as server-sent events', async () => {
    const res = await kit.backend.fetch('/api/catalog/events');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const seen = readEvents(res.body!, (events) =>
      events.some((e) => e.event === 'entity' && (e.data as { entityRef: string }).entityRef === 'component:default/one'),
    );
    expect((await kit.json('/locations', { method: 'POST', body: { type: 'file', target: `${kit.dir}/c.yaml` } })).status).toBe(201);
    const events = await seen;
    expect(events.filter((e) => e.event === 'entity').map((e) => e.data)).toContainEqual({ type: 'upserted', entityRef: 'component:default/one' });
  });
});
