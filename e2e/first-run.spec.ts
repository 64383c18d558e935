import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';

// The two journeys a newcomer tries first, on the shipped defaults: this spec starts its own
// server from the repository's app-config.yaml (what `npm start` reads) with an overlay that sets
// only where it runs — its port and a throw-away data directory — and nothing about the catalog,
// the scaffolder or the readers. Publishing from the shipped template and registering a file in
// the project directory must work on those defaults.
const PORT = Number(process.env['ATRIUM_E2E_PORT'] ?? 17345) + 5;
const BASE = `http://localhost:${PORT}`;
const repoRoot = path.resolve(import.meta.dirname, '..');
let server: ChildProcess | undefined;
let dataDir: string;
let projectFolder: string;
let serverLog = '';

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  dataDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-e2e-first-run-')));
  const overlay = path.join(dataDir, 'where.yaml');
  fs.writeFileSync(overlay, `backend:\n  baseUrl: ${BASE}\n  dataDir: ${dataDir}\n  listen:\n    port: ${PORT}\n`);
  projectFolder = path.join(repoRoot, 'test-results', `first-run-${Date.now().toString(36)}`);
  fs.mkdirSync(projectFolder, { recursive: true });
  // cwd = the repository, so app-config.yaml applies exactly as for `npm start`.
  server = spawn(process.execPath, ['packages/cli/bin/atrium.js', 'start', '--config', overlay], {
    cwd: repoRoot,
    env: { ...process.env, LOG_FORMAT: 'json' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  server.stderr?.on('data', (d: Buffer) => {
    serverLog = (serverLog + d.toString()).slice(-4000);
  });
  for (let i = 0; i < 800; i++) {
    const ok = await fetch(`${BASE}/api/scaffolder/v2/templates/default/template/node-service/parameter-schema`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (server.exitCode !== null) throw new Error(`the default-config server exited: ${serverLog}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the default-config server did not start: ${serverLog}`);
});

test.afterAll(async () => {
  if (server?.pid) {
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  if (projectFolder) fs.rmSync(projectFolder, { recursive: true, force: true });
});

test('create a component from the shipped Node.js service template: it reaches the catalog', async ({ page }) => {
  test.setTimeout(150_000);
  const name = `first-run-${Date.now().toString(36)}`;
  await page.goto(`${BASE}/create`);
  await page.getByRole('textbox', { name: 'Search', exact: true }).fill('node');
  await page.getByRole('link', { name: 'Choose Node.js service' }).click();
  await page.getByRole('textbox', { name: 'Name' }).fill(name);
  await page.getByRole('textbox', { name: 'Description' }).fill('Made on the default config');
  const owner = page.getByRole('combobox', { name: 'Owner', exact: true });
  await owner.click();
  await owner.fill('platform-team');
  await page
    .getByRole('option', { name: /platform/i })
    .first()
    .click();
  const system = page.getByRole('combobox', { name: 'System', exact: true });
  await system.click();
  await system.fill('storefront');
  await page
    .getByRole('option', { name: /storefront/i })
    .first()
    .click();
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  // The Git remote is left as the template offers it: the default publishes into <dataDir>/repos.
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await page.getByRole('button', { name: 'Create', exact: true }).click();

  await expect(page).toHaveURL(/\/create\/tasks\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('task-log')).toContainText('Run completed', { timeout: 90_000 });
  await page.getByRole('link', { name: 'Open in catalog' }).click();
  await expect(page).toHaveURL(new RegExp(`/catalog/default/component/${name}$`));
  await expect(page.getByRole('heading', { level: 1, name, exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText('Made on the default config').first()).toBeVisible();
  // The bare repository it published names the pushed branch as HEAD, so a clone has files.
  const bare = path.join(dataDir, 'repos', `${name}.git`);
  expect(fs.readFileSync(path.join(bare, 'HEAD'), 'utf8').trim()).toBe('ref: refs/heads/main');
});

test('register a catalog-info.yaml from the project directory', async ({ page }) => {
  test.setTimeout(90_000);
  const file = path.join(projectFolder, 'catalog-info.yaml');
  fs.writeFileSync(
    file,
    [
      'apiVersion: backstage.io/v1alpha1',
      'kind: Component',
      'metadata:',
      '  name: first-run-local',
      '  title: First-run local service',
      'spec:',
      '  type: service',
      '  lifecycle: experimental',
      '  owner: platform-team',
      '',
    ].join('\n'),
  );
  await page.goto(`${BASE}/catalog-import`);
  await page.getByLabel('URL of a catalog-info.yaml or repository').fill(file);
  await page.getByRole('button', { name: 'Analyze' }).click();
  await expect(page.getByRole('table', { name: 'Entities found' })).toContainText('component:default/first-run-local');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const imported = page.getByRole('list', { name: 'Imported entities' });
  await imported.getByRole('link', { name: 'First-run local service' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'First-run local service' })).toBeVisible();
});

test('a file outside every default root is refused with the key that would allow it', async ({ page }) => {
  await page.goto(`${BASE}/catalog-import`);
  await page.getByLabel('URL of a catalog-info.yaml or repository').fill('/etc/catalog-info.yaml');
  await page.getByRole('button', { name: 'Analyze' }).click();
  await expect(page.getByRole('alert')).toContainText(/fileRoots/);
});
