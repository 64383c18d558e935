// `npm test`: lint, typecheck, unit + integration tests (Vitest), then end-to-end tests (Playwright,
// against the production build in Chromium). Ends with one plain line `N passed, N failed`
// summed over every runner, read from their JSON reports; exits non-zero on any failure.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, run } from './lib.mjs';
import { failedPlaywrightTests, failedVitestTests } from './testReport.mjs';

const results = path.join(repoRoot, 'test-results');
fs.mkdirSync(results, { recursive: true });
const node = process.execPath;
const bin = (p) => path.join(repoRoot, 'node_modules', p);
let passed = 0;
let failed = 0;
let flakyTotal = 0;
const summary = [];
/** One line per failed test (runner, file, name, first line of the message), printed last. */
const failures = [];

async function step(name, fn) {
  const started = Date.now();
  console.log(`\n=== ${name} ===`);
  const outcome = await fn();
  passed += outcome.passed;
  failed += outcome.failed;
  flakyTotal += outcome.flaky ?? 0;
  const flakyNote = outcome.flaky ? `, ${outcome.flaky} of them flaky` : '';
  summary.push(`${name}: ${outcome.passed} passed${flakyNote}, ${outcome.failed} failed (${Math.round((Date.now() - started) / 1000)} s)`);
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

await step('lint (eslint)', async () => {
  // Errors only here; `npm run lint` also lists the warnings.
  const code = await run(node, [bin('eslint/bin/eslint.js'), '--quiet', '.']);
  if (code !== 0) {
    console.error('lint failed: npm run lint');
    failures.push('lint: eslint found errors (npm run lint lists them)');
  }
  return code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
});

await step('typecheck', async () => {
  let ok = 0;
  let bad = 0;
  for (const args of [
    ['-b', 'tsconfig.build.json'],
    ['-p', 'tsconfig.frontend.json'],
    ['-p', 'tsconfig.tests.json'],
  ]) {
    const code = await run(node, [bin('typescript/bin/tsc'), ...args]);
    if (code === 0) ok++;
    else {
      bad++;
      console.error(`typecheck failed: tsc ${args.join(' ')}`);
      failures.push(`typecheck: tsc ${args.join(' ')} found errors`);
    }
  }
  return { passed: ok, failed: bad };
});

await step('unit and integration (vitest)', async () => {
  // The embedded database template (built with dist by typecheck's `tsc -b`): test backends on
  // PGlite load it instead of running initdb each. Without it they run initdb (slower, same result).
  await run(node, [path.join(repoRoot, 'scripts/pglite-template.mjs')]);
  const report = path.join(results, 'vitest.json');
  fs.rmSync(report, { force: true });
  const code = await run(node, [bin('vitest/vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
  const r = readJson(report);
  if (!r) return { passed: 0, failed: 1 };
  for (const line of failedVitestTests(r, repoRoot)) failures.push(`vitest: ${line}`);
  const failedTests = r.numFailedTests + (code !== 0 && r.numFailedTests === 0 ? 1 : 0);
  return { passed: r.numPassedTests, failed: failedTests };
});

await step('end-to-end (playwright)', async () => {
  if ((await run(node, [path.join(repoRoot, 'scripts/build.mjs')])) !== 0) return { passed: 0, failed: 1 };
  if ((await run(node, [path.join(repoRoot, 'scripts/ensure-browser.mjs')])) !== 0) return { passed: 0, failed: 1 };
  const report = path.join(results, 'playwright.json');
  fs.rmSync(report, { force: true });
  const code = await run(node, [bin('@playwright/test/cli.js'), 'test'], {
    env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: report },
  });
  const r = readJson(report);
  if (!r?.stats) return { passed: 0, failed: 1 };
  // A test that failed and then passed on its retry is flaky: it counts as passed (the feature
  // works) but is reported on its own line, by name, so it is seen and fixed rather than hidden.
  const flaky = r.stats.flaky ?? 0;
  if (flaky > 0) {
    const names = [];
    const walk = (suite, prefix) => {
      for (const spec of suite.specs ?? []) {
        for (const t of spec.tests ?? []) if (t.status === 'flaky') names.push(`${prefix}${spec.title}`);
      }
      for (const child of suite.suites ?? []) walk(child, `${prefix}${child.title} > `);
    };
    for (const suite of r.suites ?? []) walk(suite, `${suite.title} > `);
    console.log(`\nflaky end-to-end tests (failed, then passed on retry): ${flaky}`);
    for (const n of names) console.log(`  flaky: ${n}`);
  }
  for (const line of failedPlaywrightTests(r)) failures.push(`playwright: ${line}`);
  const bad = r.stats.unexpected;
  return { passed: r.stats.expected + flaky, failed: bad + (code !== 0 && bad === 0 ? 1 : 0), flaky };
});

// The failed tests just above the closing lines, so a log cut to its end still names them.
if (failures.length > 0) console.log(`\nfailed tests (${failures.length}):\n${failures.map((f) => `  ${f}`).join('\n')}`);
console.log('\n' + summary.join('\n'));
if (flakyTotal > 0) console.log(`flaky: ${flakyTotal} end-to-end test(s) passed only on a retry (listed above)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
