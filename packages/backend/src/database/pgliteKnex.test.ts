import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './Database.js';
import { openPglite } from './openPglite.js';

describe('knex on embedded Postgres, one session shared by schema-scoped instances', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPglite(':memory:');
  });
  afterAll(() => db.close());

  it('returns row counts for update, delete and increment, like the pg driver', async () => {
    const k = await db.forSchema('counts');
    await k.schema.createTable('t', (t) => {
      t.increments('id');
      t.integer('n').notNullable().defaultTo(0);
    });
    await k('t').insert([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(await k('t').where('n', '>', 1).update({ n: 9 })).toBe(2);
    expect(await k('t').increment('n', 1)).toBe(3);
    expect(await k('t').where('n', 10).delete()).toBe(2);
    expect(await k('t').count('* as c').first()).toEqual({ c: 1 });
  });

  it('keeps each instance in its own schema and isolates a transaction from the others', async () => {
    const a = await db.forSchema('alpha');
    const b = await db.forSchema('beta');
    await a.schema.createTable('items', (t) => t.text('v'));
    await b.schema.createTable('items', (t) => t.text('v'));
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const order: string[] = [];
    const failing = a
      .transaction(async (tx) => {
        await tx('items').insert({ v: 'rolled-back' });
        await sleep(100);
        order.push('a-rollback');
        throw new Error('abort');
      })
      .catch(() => undefined);
    await sleep(10);
    // b has to wait for the session until a's transaction ends, and must not be part of it.
    const bWrite = b('items')
      .insert({ v: 'b1' })
      .then(() => order.push('b-write'));
    await Promise.all([failing, bWrite]);
    expect(order).toEqual(['a-rollback', 'b-write']);
    await a.transaction(async (tx) => tx('items').insert({ v: 'a1' }));
    expect(await a('items').select('v')).toEqual([{ v: 'a1' }]);
    expect(await b('items').select('v')).toEqual([{ v: 'b1' }]);
  });
});
