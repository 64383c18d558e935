import fs from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = path.dirname(new URL(import.meta.url).pathname);
const include = ['{packages,plugins}/*/src/**/*.test.{ts,tsx}', 'bench/**/*.test.ts', 'scripts/**/*.test.ts'];
const exclude = ['**/node_modules/**', '**/dist/**', 'e2e/**'];

/**
 * Two projects, each runnable alone (`npx vitest run --project unit`, `--project integration`);
 * `npm test` runs both, every test file exactly once. The rule (docs/architecture.md, "Tests"):
 * a test file is an integration test when its name ends in `.integration.test.ts`, or it starts a
 * backend or opens a database — it imports `@atrium/test-utils` or calls `createBackend(`,
 * `openDatabase(`, `openPglite(` or `openPostgres(`. Every other test file is a unit test.
 */
const STARTS_A_BACKEND = /from '@atrium\/test-utils'|\b(?:createBackend|openDatabase|openPglite|openPostgres)\(/;

function integrationTestFiles(): string[] {
  const files: string[] = [];
  for (const top of ['packages', 'plugins', 'bench']) {
    const dir = path.join(root, top);
    if (!fs.existsSync(dir)) continue;
    for (const entry of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
      if (!/\.test\.tsx?$/.test(entry) || /(^|\/)(node_modules|dist)\//.test(entry)) continue;
      const file = `${top}/${entry.split(path.sep).join('/')}`;
      if (/\.integration\.test\.tsx?$/.test(file) || STARTS_A_BACKEND.test(fs.readFileSync(path.join(root, file), 'utf8'))) files.push(file);
    }
  }
  return files.sort();
}

const integration = integrationTestFiles();

// Workspace packages export their TypeScript source under the "source" condition,
// so tests run against source without a build step.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    exclude,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include, exclude: [...exclude, ...integration] } },
      { extends: true, test: { name: 'integration', include: integration.length ? integration : ['no-integration-tests'], exclude } },
    ],
  },
});
