// The architecture's import boundaries are ESLint rules (eslint.config.js); these tests lint small
// snippets as if they sat in a given file of the tree, so a rule that silently stops matching fails here.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const configFile = path.join(repoRoot, 'eslint.config.js');
const eslint = new ESLint({ cwd: repoRoot });

/** Rule ids reported for `import { x } from '<specifier>'` placed in `file`. */
async function importFindings(file: string, specifier: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import { x } from '${specifier}';\nexport const y = x;\n`, { filePath: path.join(repoRoot, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === null).map((m) => m.ruleId ?? m.message);
}

const blocked = ['no-restricted-imports'];

describe('plugin boundaries', () => {
  it.each([
    ['plugins/scorecards/src/backend/x.ts', '@atrium/plugin-catalog/backend'],
    ['plugins/scorecards/src/backend/x.ts', '@atrium/plugin-catalog/common'],
    ['plugins/scaffolder/src/backend/x.ts', '@atrium/backend-plugin-api'],
    ['plugins/scorecards/src/backend/x.ts', './sibling.js'],
    ['plugins/scorecards/src/frontend/x.tsx', '../common/index.js'],
  ])('%s may import %s', async (file, specifier) => {
    expect(await importFindings(file, specifier)).toEqual([]);
  });

  it.each([
    ['plugins/scorecards/src/backend/x.ts', '../../../catalog/src/backend/store/entityWriter.js'],
    ['plugins/scorecards/src/backend/x.ts', '@atrium/plugin-catalog/src/backend/store/entityWriter'],
    ['plugins/scorecards/src/backend/x.ts', '@atrium/backend-plugin-api/src/plugin'],
    ['packages/backend/src/x.ts', '../../backend-plugin-api/src/plugin.js'],
  ])("%s may not reach into another package's internals: %s", async (file, specifier) => {
    expect(await importFindings(file, specifier)).toEqual(blocked);
  });
});

describe('frontend never imports backend code', () => {
  it.each([
    ['plugins/catalog/src/frontend/x.tsx', '@atrium/backend-plugin-api'],
    ['plugins/catalog/src/frontend/x.tsx', '@atrium/backend'],
    ['plugins/catalog/src/frontend/x.tsx', '@atrium/source-readers'],
    ['plugins/catalog/src/frontend/x.tsx', '@atrium/plugin-scorecards/backend'],
    ['plugins/catalog/src/frontend/x.tsx', '../backend/index.js'],
    ['plugins/catalog/src/frontend/x.tsx', 'node:fs'],
    ['packages/ui/src/x.tsx', 'fs'],
    ['packages/app/src/x.tsx', '@atrium/backend-plugin-api'],
  ])('%s may not import %s', async (file, specifier) => {
    expect(await importFindings(file, specifier)).toEqual(blocked);
  });

  it.each([
    ['plugins/catalog/src/frontend/x.tsx', '@atrium/backend-plugin-api/eventTopics'],
    ['plugins/catalog/src/frontend/x.tsx', '@atrium/plugin-scorecards/common'],
    ['plugins/catalog/src/frontend/x.test.ts', 'node:fs'],
  ])('%s may import %s', async (file, specifier) => {
    expect(await importFindings(file, specifier)).toEqual([]);
  });
});

describe('packages never import plugins, except the composition roots', () => {
  it.each([
    ['packages/ui/src/x.tsx', '@atrium/plugin-catalog/common'],
    ['packages/app/src/shell/x.tsx', '@atrium/plugin-notifications/frontend'],
    ['packages/backend/src/auth/x.ts', '@atrium/plugin-catalog/backend'],
    ['packages/test-utils/src/x.ts', '@atrium/plugin-catalog/backend'],
  ])('%s may not import %s', async (file, specifier) => {
    expect(await importFindings(file, specifier)).toEqual(blocked);
  });

  it.each([
    ['packages/app/src/plugins.ts', '@atrium/plugin-catalog/frontend'],
    ['packages/backend/src/plugins.ts', '@atrium/plugin-catalog/backend'],
    ['packages/cli/src/commands/x.ts', '@atrium/plugin-catalog/backend'],
    ['packages/backend/src/x.integration.test.ts', '@atrium/plugin-catalog/backend'],
  ])('%s may import %s', async (file, specifier) => {
    expect(await importFindings(file, specifier)).toEqual([]);
  });
});

describe('import cycles', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-lint-cycle-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports two modules that import each other, and not a one-way import', async () => {
    const src = path.join(dir, 'plugins/demo/src/backend');
    fs.mkdirSync(src, { recursive: true });
    fs.writeFileSync(path.join(src, 'a.ts'), "import { b } from './b.js';\nexport const a = (): number => b() + 1;\n");
    fs.writeFileSync(path.join(src, 'b.ts'), "import { a } from './a.js';\nexport const b = (): number => a() - 1;\n");
    fs.writeFileSync(path.join(src, 'c.ts'), "import { a } from './a.js';\nexport const c = (): number => a();\n");
    // The same config, applied to a throwaway tree with the repository's layout.
    const cycles = new ESLint({ cwd: dir, overrideConfigFile: configFile });
    const results = await cycles.lintFiles(['plugins/demo/src/backend/*.ts']);
    const byFile = Object.fromEntries(results.map((r) => [path.basename(r.filePath), r.messages.map((m) => m.ruleId)]));
    expect(byFile).toEqual({ 'a.ts': ['import-x/no-cycle'], 'b.ts': ['import-x/no-cycle'], 'c.ts': [] });
  });
});
