import { testDatabaseKinds } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { component, startCatalog, yamlDocs, type CatalogTestkit } from './testing/catalogTestkit.testing.js';

interface Sse {
  id?: string;
  event?: string;
  data?: unknown;
}

/** Reads server-sent messages (id-only ones included) until `done` says it has seen enough. */
async function readStream(body: ReadableStream<Uint8Array>, done: (messages: Sse[]) => boolean, timeoutMs = 30_000): Promise<Sse[]> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const messages: Sse[] = [];
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  try {
    while (!done(messages)) {
      if (Date.now() > deadline) throw new Error(`timed out; saw ${JSON.stringify(messages)}`);
      const { value, done: ended } = await reader.read();
      if (ended) break;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const id = /^id: (.+)$/m.exec(block)?.[1];
        const event = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (id || event) messages.push({ ...(id ? { id } : {}), ...(event ? { event } : {}), ...(data ? { data: JSON.parse(data) } : {}) });
      }
    }
  } finally {
    await reader.cancel();
  }
  return messages;
}

const upserted = (ref: string) => (m: Sse) =>
  m.event === 'entity' && (m.data as { type: string; entityRef: string }).type === 'upserted' && (m.data as { entityRef: string }).entityRef === ref;

describe.each(testDatabaseKinds())('GET /api/catalog/events resumes from Last-Event-ID (%s)', (database) => {
  let a: CatalogTestkit;
  /** On Postgres a second replica on the same database; on PGlite the same backend again. */
  let b: CatalogTestkit;
  beforeAll(async () => {
    a = await startCatalog(database, { replicaId: 'replica-a' });
    b = database === 'postgres' ? await startCatalog(database, { postgresUrl: a.backend.postgresUrl!, replicaId: 'replica-b', dir: a.dir }) : a;
  }, 90_000);
  afterAll(async () => {
    if (b && b !== a) await b.stop();
    await a?.stop();
  });

  it('a client that reconnects to another replica gets exactly the events it missed, in order', async () => {
    const first = await a.backend.fetch('/api/catalog/events');
    expect(first.status).toBe(200);
    a.write('one.yaml', yamlDocs(component('one')));
    const seen = readStream(first.body!, (ms) => ms.some(upserted('component:default/one')));
    expect((await a.json('/locations', { method: 'POST', body: { type: 'file', target: `${a.dir}/one.yaml` } })).status).toBe(201);
    const before = await seen;
    // The id of the last message read is what a browser's EventSource sends back as Last-Event-ID.
    const lastId = [...before].reverse().find((m) => m.id)?.id;
    expect(lastId).toMatch(/^[0-9]+$/);

    // While disconnected: another entity appears (registered through the other replica).
    a.write('two.yaml', yamlDocs(component('two')));
    expect((await b.json('/locations', { method: 'POST', body: { type: 'file', target: `${a.dir}/two.yaml` } })).status).toBe(201);

    const again = await b.backend.fetch('/api/catalog/events', { headers: { 'last-event-id': lastId! } });
    expect(again.status).toBe(200);
    const after = await readStream(again.body!, (ms) => ms.some(upserted('component:default/two')));
    const entityMessages = after.filter((m) => m.event === 'entity');
    expect(entityMessages.some(upserted('component:default/one'))).toBe(false);
    expect(entityMessages.some(upserted('component:default/two'))).toBe(true);
    const ids = after.filter((m) => m.event).map((m) => BigInt(m.id!));
    expect(ids.every((id) => id > BigInt(lastId!))).toBe(true);
    expect(ids).toEqual([...ids].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));

    expect((await b.backend.fetch('/api/catalog/events', { headers: { 'last-event-id': 'yesterday' } })).status).toBe(400);
  });
});
