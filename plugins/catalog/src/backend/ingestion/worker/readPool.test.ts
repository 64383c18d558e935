import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLocation } from '../readLocation.js';
import { component, removeTempDirs, tempDir, writeTree } from '../testUtils.js';
import { PART_SIZE } from './protocol.js';
import { EMBEDDED_READ_LIMITS, ReadPool } from './readPool.js';

afterAll(removeTempDirs);

describe('ReadPool (locations read on worker threads)', () => {
  let root: string;
  let pool: ReadPool;
  beforeEach(async () => {
    root = await tempDir();
    pool = new ReadPool(2);
  });
  afterEach(async () => pool.close());

  it('gives exactly what an in-process read gives, errors and custom kinds included', async () => {
    await writeTree(root, {
      'a.yaml': `${component('svc-a', '  system: payments')}\n---\n${component('Bad Name!')}\n---\nkind: [unclosed`,
      'b.yaml': component('svc-b'),
    });
    const customKinds = [{ apiVersion: 'example.com/v1', kind: 'Widget', specSchema: { type: 'object' } }];
    for (const target of ['a.yaml', 'b.yaml', 'missing.yaml']) {
      const spec = { type: 'file' as const, target: path.join(root, target) };
      const options = { fileRoots: [root], customKinds };
      const [inWorker, inProcess] = await Promise.all([pool.read(spec, options), readLocation(spec, options)]);
      expect(inWorker).toEqual(inProcess);
    }
    const a = await pool.read({ type: 'file', target: path.join(root, 'a.yaml') }, { fileRoots: [root] });
    expect(a.entities.map((e) => e.entityRef)).toEqual(['component:default/svc-a', 'component:default/bad name!']);
    expect(a.entities[1]?.errors[0]?.field).toBe('metadata.name');
    expect(a.errors.map((e) => e.kind)).toEqual(['yaml']);
  });

  it('runs reads side by side on its workers and keeps results apart', async () => {
    await writeTree(root, Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}.yaml`, component(`svc-${i}`)])));
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => pool.read({ type: 'file', target: path.join(root, `f${i}.yaml`) }, { fileRoots: [root] })),
    );
    expect(results.map((r) => r.entities[0]?.entityRef)).toEqual(Array.from({ length: 12 }, (_, i) => `component:default/svc-${i}`));
  });

  it('hands over a file with many entities whole, though it arrives in parts', async () => {
    const count = PART_SIZE * 2 + 17;
    await writeTree(root, { 'big.yaml': Array.from({ length: count }, (_, i) => component(`svc-${i}`)).join('\n---\n') });
    const spec = { type: 'file' as const, target: path.join(root, 'big.yaml') };
    const [inWorker, inProcess] = await Promise.all([pool.read(spec, { fileRoots: [root] }), readLocation(spec, { fileRoots: [root] })]);
    expect(inWorker.entities).toHaveLength(count);
    expect(inWorker).toEqual(inProcess);
  });

  it("starts its workers with the pool's resource limits", async () => {
    await writeTree(root, { 'a.yaml': component('svc-a') });
    const spec = { type: 'file' as const, target: path.join(root, 'a.yaml') };
    // The embedded database's limits still read a file...
    const embedded = new ReadPool(1, EMBEDDED_READ_LIMITS);
    try {
      expect((await embedded.read(spec, { fileRoots: [root] })).entities.map((e) => e.entityRef)).toEqual(['component:default/svc-a']);
    } finally {
      await embedded.close();
    }
    // ...and limits the worker cannot start within fail its read instead of being ignored.
    const starved = new ReadPool(1, { maxOldGenerationSizeMb: 1, maxYoungGenerationSizeMb: 1 });
    try {
      await expect(starved.read(spec, { fileRoots: [root] })).rejects.toThrow(/worker/i);
    } finally {
      await starved.close();
    }
  });

  it('refuses reads outside the allowed roots on the worker too', async () => {
    const result = await pool.read({ type: 'file', target: '/etc/passwd' }, { fileRoots: [root] });
    expect(result.entities).toEqual([]);
    expect(result.errors[0]?.kind).toBe('security');
  });

  it('rejects reads once closed, and reads already aborted', async () => {
    const aborted = new AbortController();
    aborted.abort(new Error('stop'));
    await expect(pool.read({ type: 'file', target: path.join(root, 'x.yaml') }, { fileRoots: [root], signal: aborted.signal })).rejects.toThrow('stop');
    await pool.close();
    await expect(pool.read({ type: 'file', target: path.join(root, 'x.yaml') }, { fileRoots: [root] })).rejects.toThrow(/closed/);
  });
});
