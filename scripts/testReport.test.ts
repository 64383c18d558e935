// The failed-test lines `npm test` prints before its closing line, read from real reports: each
// runner is run on a throw-away test file with one passing and one failing test.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the scripts, without types
import { failedPlaywrightTests, failedVitestTests } from './testReport.mjs';

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
fs.mkdirSync(path.join(repoRoot, 'test-results'), { recursive: true });
const dir = fs.mkdtempSync(path.join(repoRoot, 'test-results', 'report-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs a runner that is expected to fail (one test fails) and returns its JSON report. */
async function reportOf(args: string[], report: string, env: NodeJS.ProcessEnv = {}): Promise<unknown> {
  await promisify(execFile)(process.execPath, args, { cwd: dir, env: { ...process.env, CI: '', ...env } }).catch(() => undefined);
  return JSON.parse(fs.readFileSync(report, 'utf8'));
}

describe('failed tests named before the closing line', () => {
  it('names the failed Vitest test, its file and the first line of its message', async () => {
    fs.writeFileSync(
      path.join(dir, 'sample.test.ts'),
      `import { expect, it } from 'vitest';\nit('adds', () => expect(1 + 1).toBe(2));\nit('subtracts', () => expect(3 - 1).toBe(1));\n`,
    );
    fs.writeFileSync(path.join(dir, 'broken.test.ts'), `import { it } from 'vitest';\nthrow new Error('cannot load this file');\nit('never', () => {});\n`);
    // A config of its own: without one Vitest would find the project's (its include patterns match nothing here).
    fs.writeFileSync(path.join(dir, 'vitest.config.mjs'), 'export default { test: {} };\n');
    const report = path.join(dir, 'vitest.json');
    const r = await reportOf(
      [
        path.join(repoRoot, 'node_modules/vitest/vitest.mjs'),
        'run',
        '--root',
        dir,
        '--config',
        path.join(dir, 'vitest.config.mjs'),
        '--reporter=json',
        `--outputFile.json=${report}`,
      ],
      report,
    );
    const lines = failedVitestTests(r, dir) as string[];
    expect(lines).toHaveLength(2);
    expect(lines).toContainEqual(expect.stringMatching(/^sample\.test\.ts > subtracts: AssertionError: expected 2 to be 1/));
    expect(lines).toContainEqual(expect.stringMatching(/^broken\.test\.ts: .*cannot load this file/));
  });

  it('names the failed Playwright test and the first line of its error', async () => {
    fs.writeFileSync(
      path.join(dir, 'sample.spec.ts'),
      `import { expect, test } from '@playwright/test';\ntest('passes', () => expect(1).toBe(1));\ntest.describe('group', () => {\n  test('fails', () => expect(2).toBe(3));\n});\n`,
    );
    const report = path.join(dir, 'playwright.json');
    fs.writeFileSync(
      path.join(dir, 'pw.config.ts'),
      `export default { testDir: '.', testMatch: '*.spec.ts', retries: 0, workers: 1, outputDir: 'pw-out', reporter: [['json', { outputFile: ${JSON.stringify(report)} }]] };\n`,
    );
    const r = await reportOf([path.join(repoRoot, 'node_modules/@playwright/test/cli.js'), 'test', '--config', path.join(dir, 'pw.config.ts')], report);
    const lines = failedPlaywrightTests(r) as string[];
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/sample\.spec\.ts > group > fails: Error: expect\(received\)\.toBe\(expected\)/);
  });
});
