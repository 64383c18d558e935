import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';

// The scaffolder publishes to a local bare git repository and the catalog reads it back, so this
// spec runs its own server (next port up) with both allowed to use a temporary folder; the rest
// of the config is the e2e config (in-memory database, the example catalog with its templates).
const PORT = Number(process.env['ATRIUM_E2E_PORT'] ?? 17345) + 1;
const BASE = `http://localhost:${PORT}`;
let server: ChildProcess | undefined;
let work: string;

test.beforeAll(async () => {
  test.setTimeout(150_000);
  work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-e2e-scaffolder-')));
  const extra = path.join(work, 'scaffolder-e2e.yaml');
  fs.writeFileSync(
    extra,
    `catalog:\n  processingPollMs: 200\n  readers:\n    fileRoots: [${work}]\nscaffolder:\n  pollMs: 100\n  publish:\n    fileRoots: [${work}]\n`,
  );
  server = spawn(process.execPath, ['packages/cli/bin/atrium.js', 'start', '--config', 'e2e/app-config.e2e.yaml', '--config', extra], {
    env: { ...process.env, ATRIUM_E2E_PORT: String(PORT) },
    stdio: 'ignore',
  });
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`${BASE}/api/scaffolder/v2/templates/default/template/node-service/parameter-schema`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the scaffolder e2e server did not start');
});

test.afterAll(async () => {
  if (server?.pid) {
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  }
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('create a service from a template, follow the live log, open it in the catalog', async ({ page }) => {
  test.setTimeout(120_000);
  const name = `e2e-svc-${Date.now().toString(36)}`;
  await page.goto(`${BASE}/create`);
  await expect(page.getByRole('heading', { name: 'Create something new' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Search', exact: true }).fill('node');
  await page.getByRole('link', { name: 'Choose Node.js service' }).click();

  await expect(page.getByRole('heading', { name: 'Node.js service' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Name' }).fill(name);
  await page.getByRole('textbox', { name: 'Description' }).fill('Created by the end-to-end test');
  // OwnerPicker and EntityPicker are searchable selects over the catalog.
  const owner = page.getByRole('combobox', { name: 'Owner', exact: true });
  await owner.click();
  await owner.fill('platform-team');
  await page.getByRole('option', { name: /group:default\/platform-team/ }).click();
  const system = page.getByRole('combobox', { name: 'System', exact: true });
  await system.click();
  await system.fill('storefront');
  await page.getByRole('option', { name: /system:default\/storefront/ }).click();
  await page.getByRole('button', { name: 'Next', exact: true }).click();

  await page.getByRole('textbox', { name: 'Git remote' }).fill(`file://${work}/${name}.git`);
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  const review = page.getByRole('table', { name: 'Review' });
  await expect(review).toContainText(name);
  await expect(review).toContainText('group:default/platform-team');
  await expect(review).toContainText('system:default/storefront');
  await page.getByRole('button', { name: 'Create', exact: true }).click();

  await expect(page).toHaveURL(/\/create\/tasks\/[0-9a-f-]{36}$/);
  const log = page.getByTestId('task-log');
  await expect(log).toContainText('Beginning step Fetch skeleton', { timeout: 30_000 });
  await expect(log).toContainText('Run completed', { timeout: 60_000 });
  const steps = page.getByRole('list', { name: 'Steps' });
  await expect(steps.getByRole('listitem')).toHaveCount(4);
  await expect(steps.locator('[data-status="completed"]')).toHaveCount(4);

  await page.getByRole('link', { name: 'Open in catalog' }).click();
  await expect(page).toHaveURL(new RegExp(`/catalog/default/component/${name}$`));
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole('heading', { name, exact: true }).first()).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByText('Created by the end-to-end test').first()).toBeVisible();
});

test('the template editor dry-runs a template and shows its files', async ({ page }) => {
  await page.goto(`${BASE}/create/edit`);
  await page.getByRole('textbox', { name: 'Name' }).fill('preview');
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await page.getByRole('button', { name: 'Dry run' }).click();
  await expect(page.getByRole('heading', { name: 'Dry run result' })).toBeVisible();
  await expect(page.getByText('catalog-info.yaml').first()).toBeVisible();
  await expect(page.getByText('Hello preview').first()).toBeVisible();
});
