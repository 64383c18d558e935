import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HEAP_GROWING_PERCENT, limitHeapGrowth } from './heapGrowth.js';

describe('limitHeapGrowth', () => {
  it('sets the heap growing factor when the process was started without one', () => {
    const set: string[] = [];
    expect(limitHeapGrowth(['--enable-source-maps'], (f) => set.push(f))).toBe(`--heap-growing-percent=${DEFAULT_HEAP_GROWING_PERCENT}`);
    expect(set).toEqual([`--heap-growing-percent=${DEFAULT_HEAP_GROWING_PERCENT}`]);
  });

  it.each([['--heap-growing-percent=0'], ['--heap_growing_percent=80']])('leaves the choice of a process started with %s alone', (arg) => {
    const set: string[] = [];
    expect(limitHeapGrowth(['--conditions=source', arg], (f) => set.push(f))).toBeUndefined();
    expect(set).toEqual([]);
  });

  // Two child processes of ~4 s each (side by side); up to ~25 s each on a machine busy with other tests.
  it('keeps the heap of a process that allocates fast well below what V8 chooses by itself', { timeout: 180_000 }, async () => {
    // The same churn (a retained set plus short-lived garbage, as an ingest makes) in two processes:
    // one calls limitHeapGrowth, the other was started with V8's own choice (0), which it leaves alone.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-heap-'));
    try {
      const script = path.join(dir, 'churn.ts');
      const module = path.join(path.dirname(fileURLToPath(import.meta.url)), 'heapGrowth.ts');
      fs.writeFileSync(
        script,
        `import { limitHeapGrowth } from ${JSON.stringify(module)};
        limitHeapGrowth();
        const kept: unknown[] = [];
        for (let i = 0; i < 300_000; i++) kept.push({ a: 'x'.repeat(20) + i, b: [i, i + 1] });
        let peak = 0;
        for (let r = 0; r < 60; r++) {
          const junk: unknown[] = [];
          for (let i = 0; i < 100_000; i++) junk.push({ s: 'y' + i + r, n: [i] });
          kept[r] = junk[5];
          peak = Math.max(peak, process.memoryUsage().heapTotal);
        }
        console.log(JSON.stringify({ peak }));`,
      );
      const peakOf = async (extra: string[]) => {
        const { stdout } = await promisify(execFile)(process.execPath, [...extra, '--import', 'tsx', script], { encoding: 'utf8', timeout: 170_000 });
        return (JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as { peak: number }).peak;
      };
      // Peaks measured: ~195 MB against 420-460 MB, also with four other churns on the two cores.
      const [limited, vendorDefault] = await Promise.all([peakOf([]), peakOf(['--heap-growing-percent=0'])]);
      expect(limited).toBeLessThan(vendorDefault * 0.75);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
