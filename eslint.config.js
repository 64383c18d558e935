// ESLint flat config for the whole monorepo (`npm run lint`). See docs/architecture.md, "Lint and format".
//
// Besides the usual correctness rules (typescript-eslint strict, react-hooks, jsx-a11y) it encodes the
// architecture's boundaries with `no-restricted-imports`, so a wrong import fails `npm test`:
//   1. plugins and packages reach another workspace only through its package.json `exports`
//      (`@atrium/plugin-x/backend`, `/common`, `/frontend`, `@atrium/backend-plugin-api/eventTopics` …),
//      never through a deep path or a relative path out of their own package;
//   2. frontend code (packages/app, packages/ui, packages/frontend-plugin-api, plugins/*/src/frontend)
//      never imports backend code or Node built-ins (tests beside it run in Node and may);
//   3. packages never import plugins, except the composition roots that list the installed plugins
//      (packages/backend/src/plugins.ts, packages/app/src/plugins.ts) and the CLI, which is an
//      application of its own and reads catalog files with the catalog plugin's reader;
//   4. no import cycles (import-x/no-cycle).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import globals from 'globals';

// Relative imports may not leave their own package: anything that climbs into a `src/` folder or names
// `packages/` / `plugins/` went past the package root. Use the other package's name instead.
const outOfPackage = {
  regex: '^(\\.\\./)+(.*/)?(src(/|$)|packages/|plugins/)',
  message: "Import another workspace by its package name and one of its package.json 'exports', not by a relative path.",
};
// Deep imports into a workspace package, past what its package.json `exports` expose.
const deepWorkspace = {
  regex: '^@atrium/(?!backend-plugin-api/eventTopics$|source-readers/testing$|ui/testing$)[^/]+/(?!(backend|common|frontend)$).+',
  message: "Import only a package's entry points (its package.json 'exports'), not its internals.",
};
const anyPlugin = {
  group: ['@atrium/plugin-*', '@atrium/plugin-*/**'],
  message: 'Packages never import plugins; only the composition roots (packages/backend/src/plugins.ts, packages/app/src/plugins.ts) list them.',
};
const backendFromFrontend = [
  {
    regex: '^@atrium/(backend|backend-plugin-api|source-readers|cli|test-utils)$',
    message: 'Frontend code never imports backend code (the browser-safe @atrium/backend-plugin-api/eventTopics is fine).',
  },
  { regex: '^@atrium/plugin-[^/]+/backend$', message: "Frontend code never imports a plugin's backend; use its /common entry point." },
  { regex: '^(\\.\\./)+(.*/)?backend(/|$)', message: 'Frontend code never imports backend code.' },
  { regex: '^node:', message: 'Frontend code runs in the browser: no Node built-ins.' },
];
const nodeBuiltinsBare = ['fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'url', 'util', 'stream', 'events', 'zlib'];

const frontendFiles = ['packages/app/src/**', 'packages/ui/src/**', 'packages/frontend-plugin-api/src/**', 'plugins/*/src/frontend/**'];
const testFiles = ['**/*.test.ts', '**/*.test.tsx', '**/testing/**', '**/*.testing.ts', 'e2e/**', 'bench/**'];

export default defineConfig(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'test-results/**',
      'playwright-report/**',
      'bench/out/**',
      '**/.vite/**',
      '.atrium/**',
      'docs/**',
      'site/**',
      // Template skeletons are Nunjucks, not JavaScript, until the scaffolder renders them.
      'catalog-examples/templates/*/skeleton/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.strict,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A warning until the ~450 existing `!` are replaced by checks (docs/architecture.md, "Lint and format").
      '@typescript-eslint/no-non-null-assertion': 'warn',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    // Browser code; the UI benchmark also runs functions in the page (page.evaluate).
    files: [...frontendFiles, 'packages/app/public/**', 'bench/catalog-ui-*.mjs'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.tsx'],
    ...jsxA11y.flatConfigs.recommended,
  },
  {
    // The plugin's recommended set, React Compiler checks included (purity, no setState in effects …).
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  // Boundaries (see the header). Later blocks for the same rule replace earlier ones, so each block lists
  // every restriction that applies to its files.
  {
    files: ['packages/**/*.{ts,tsx}', 'plugins/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [outOfPackage, deepWorkspace] }] },
  },
  {
    files: ['packages/*/src/**/*.{ts,tsx}'],
    // Tests that start a whole backend or app compose it from the installed plugins, like the roots do.
    ignores: ['packages/backend/src/plugins.ts', 'packages/app/src/plugins.ts', 'packages/cli/src/**', ...testFiles],
    rules: { 'no-restricted-imports': ['error', { patterns: [outOfPackage, deepWorkspace, anyPlugin] }] },
  },
  {
    files: frontendFiles,
    ignores: testFiles,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltinsBare.map((name) => ({ name, message: 'Frontend code runs in the browser: no Node built-ins.' })),
          patterns: [outOfPackage, deepWorkspace, ...backendFromFrontend],
        },
      ],
    },
  },
  {
    files: ['packages/app/src/**', 'packages/ui/src/**', 'packages/frontend-plugin-api/src/**'],
    ignores: ['packages/app/src/plugins.ts', ...testFiles],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltinsBare.map((name) => ({ name, message: 'Frontend code runs in the browser: no Node built-ins.' })),
          patterns: [outOfPackage, deepWorkspace, anyPlugin, ...backendFromFrontend],
        },
      ],
    },
  },
  // Import cycles, resolved like TypeScript does (workspace packages through their `source` condition).
  {
    files: ['packages/**/*.{ts,tsx}', 'plugins/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ conditionNames: ['source', 'types', 'import', 'default'] })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
);
