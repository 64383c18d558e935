import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ES module without types (bench tooling)
import { psql } from './db.mjs';
// @ts-expect-error plain ES module without types (bench tooling)
import { statementDiff, statementSnapshot, statementsUnavailable } from './pgStatements.mjs';

type Snapshot = Map<string, { query: string; calls: number; ms: number; rows: number }>;

describe('pg_stat_statements phases (bench --statements)', () => {
  it('gives what ran between two snapshots, most time first, new statements from zero', () => {
    const before: Snapshot = new Map([
      ['1', { query: 'insert into search …', calls: 10, ms: 100.4, rows: 5000 }],
      ['2', { query: 'select 1', calls: 3, ms: 1, rows: 3 }],
    ]);
    const after: Snapshot = new Map([
      ['1', { query: 'insert into search …', calls: 25, ms: 400.9, rows: 12500 }],
      ['2', { query: 'select 1', calls: 3, ms: 1, rows: 3 }],
      ['3', { query: 'insert into final_entities …', calls: 4, ms: 520.2, rows: 2000 }],
    ]);
    const diff = statementDiff(before, after, 5);
    expect(diff.top).toEqual([
      { query: 'insert into final_entities …', calls: 4, ms: 520, rows: 2000 },
      { query: 'insert into search …', calls: 15, ms: 301, rows: 7500 },
    ]);
    expect(diff.totalMs).toBe(821);
    expect(statementDiff(before, after, 1).top).toHaveLength(1);
  });

  describe.skipIf(!process.env.ATRIUM_TEST_POSTGRES_URL)('on the test Postgres server', () => {
    const database = `atrium_bench_statements_test_${process.pid}`;
    beforeAll(() => psql(`create database ${database}`));
    afterAll(() => psql(`drop database if exists ${database} with (force)`));

    it('says why it cannot read the statistics, or reads this database’s statements', () => {
      const why = statementsUnavailable(database);
      if (why !== null) {
        // The CI cluster does not preload the module: the reason names the setting that would.
        expect(why).toContain("shared_preload_libraries = 'pg_stat_statements'");
        return;
      }
      const before = statementSnapshot(database);
      psql(`create table t (n int); insert into t select generate_series(1, 1000)`, database);
      const diff = statementDiff(before, statementSnapshot(database), 50);
      expect(diff.top).toContainEqual(
        expect.objectContaining({ query: expect.stringContaining('insert into t select generate_series'), calls: 1, rows: 1000 }),
      );
    });
  });
});
