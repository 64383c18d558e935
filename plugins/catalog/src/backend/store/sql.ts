import type { Knex } from 'knex';
import { breathe } from './breathe.js';

/** Splits a list into slices of at most `size` items. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A knex instance or transaction. */
export type Db = Knex | Knex.Transaction;

/** Rows of a raw query (pg and PGlite both answer `{ rows }`). */
export async function rows<T>(db: Db, sql: string, bindings: readonly unknown[] = []): Promise<T[]> {
  const result = (await db.raw(sql, bindings as Knex.RawBinding[])) as { rows: T[] };
  return result.rows;
}

/**
 * Rows of one statement of a bulk job (writing, stitching): the event loop gets a turn first,
 * so HTTP requests are answered between the statements of a long load (see breathe).
 */
export async function bulkRows<T>(db: Db, sql: string, bindings: readonly unknown[] = []): Promise<T[]> {
  await breathe();
  return rows<T>(db, sql, bindings);
}

/** One statement of a bulk job whose result is not needed (see bulkRows). */
export async function bulkExec(db: Db, sql: string, bindings: readonly unknown[] = []): Promise<void> {
  await breathe();
  await db.raw(sql, bindings as Knex.RawBinding[]);
}

/** Rows per statement for bulk writes: whole arrays are bound as one parameter each. */
export const WRITE_BATCH = 1000;

/**
 * Runs a transaction, retrying a few times when Postgres aborts it for a deadlock or a
 * serialization failure (possible when replicas process and stitch overlapping entities).
 */
export async function transactionWithRetry<T>(db: Knex, fn: (trx: Knex.Transaction) => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      await breathe();
      return await db.transaction(async (trx) => {
        const result = await fn(trx);
        await breathe(); // before COMMIT, itself a statement that can take a while
        return result;
      });
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (attempt >= attempts || (code !== '40P01' && code !== '40001')) throw e;
      await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 50));
    }
  }
}
