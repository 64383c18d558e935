import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { expectNoSeriousA11yViolations, FIXTURE_ROOT, writeDescriptor } from './catalog-support';

const descriptor = (lifecycle: string) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: e2e-parcel-locker
  title: Parcel locker service
  description: Registered by the end-to-end tests.
spec:
  type: service
  lifecycle: ${lifecycle}
  owner: platform-team
  providesApis: [e2e-parcel-locker-api]
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: e2e-parcel-locker-api
  description: Opens lockers.
spec:
  type: grpc
  lifecycle: experimental
  owner: platform-team
  definition: |
    syntax = "proto3";
    service Lockers { rpc Open(OpenRequest) returns (OpenReply); }
`;

test.describe.configure({ mode: 'serial' });

test.describe('registering a repository', () => {
  let file: string;

  test.beforeAll(() => {
    file = writeDescriptor('register', descriptor('experimental'));
  });

  test('analyzes, previews and imports a catalog-info.yaml', async ({ page }) => {
    await page.goto('/catalog');
    await page.getByRole('link', { name: 'Register existing component' }).click();
    await expect(page).toHaveURL('/catalog-import');
    await expect(page.getByRole('heading', { level: 1, name: 'Register an existing component' })).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    await page.getByLabel('URL of a catalog-info.yaml or repository').fill(file);
    await page.getByRole('button', { name: 'Analyze' }).click();
    const preview = page.getByRole('table', { name: 'Entities found' });
    await expect(preview).toContainText('component:default/e2e-parcel-locker');
    await expect(preview).toContainText('api:default/e2e-parcel-locker-api');
    await page.getByRole('button', { name: 'Import', exact: true }).click();

    const imported = page.getByRole('list', { name: 'Imported entities' });
    await expect(imported.getByRole('link', { name: 'Parcel locker service' })).toBeVisible();
    await imported.getByRole('link', { name: 'Parcel locker service' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Parcel locker service' })).toBeVisible();
  });

  test('says when there is no descriptor, and suggests one', async ({ page }) => {
    const empty = path.join(FIXTURE_ROOT, 'no-descriptor');
    fs.mkdirSync(empty, { recursive: true });
    await page.goto('/catalog-import');
    await page.getByLabel('URL of a catalog-info.yaml or repository').fill(empty);
    await page.getByRole('button', { name: 'Analyze' }).click();
    await expect(page.getByText('No catalog-info.yaml found')).toBeVisible();
    await expect(page.getByLabel('Suggested catalog-info.yaml')).toContainText('kind: Component');
    await page.getByLabel(/spec\.owner/).fill('platform-team');
    await expect(page.getByLabel('Suggested catalog-info.yaml')).toContainText('owner: platform-team');
  });

  test("shows the server's message for a location it may not read", async ({ page }) => {
    await page.goto('/catalog-import');
    await page.getByLabel('URL of a catalog-info.yaml or repository').fill('/etc/catalog-info.yaml');
    await page.getByRole('button', { name: 'Analyze' }).click();
    await expect(page.getByRole('alert')).toContainText(/outside the allowed roots/);
  });

  test('the locations page lists the new location, and an open entity page updates when its file changes', async ({ page, request }) => {
    // The page polls every 10 s, and this waits for three changes.
    test.setTimeout(90_000);
    await page.goto('/catalog/locations');
    const row = page.getByRole('row').filter({ hasText: file });
    await expect(row).toContainText('registered');
    await expect(row.getByRole('link', { name: `3 entities from ${file}` })).toBeVisible();

    await page.goto('/catalog/default/component/e2e-parcel-locker');
    await expect(page.getByRole('heading', { level: 1, name: 'Parcel locker service' })).toBeVisible();
    await expect(page.getByText('experimental').first()).toBeVisible();
    // Change the file and ask for a refresh through the API: the open page follows by itself.
    fs.writeFileSync(file, descriptor('production'));
    const refreshed = await request.post('/api/catalog/refresh', { data: { entityRef: 'component:default/e2e-parcel-locker' } });
    expect(refreshed.status()).toBe(200);
    await expect(page.getByRole('region', { name: 'About' }).getByText('production')).toBeVisible({ timeout: 20_000 });

    // A broken descriptor keeps the last good entity and shows why, also without a reload.
    fs.writeFileSync(file, descriptor('production').replace('type: service', 'type: [not, a, string]'));
    await request.post('/api/catalog/refresh', { data: { entityRef: 'component:default/e2e-parcel-locker' } });
    // The banner says the newest definition was refused (or, before it knows, that there are processing errors).
    const refusedBanner = page.getByRole('alert').filter({ hasText: /The newest definition was refused|Processing error/ });
    await expect(refusedBanner).toBeVisible({ timeout: 20_000 });
    fs.writeFileSync(file, descriptor('production'));
    await request.post('/api/catalog/refresh', { data: { entityRef: 'component:default/e2e-parcel-locker' } });
    await expect(refusedBanner).toHaveCount(0, { timeout: 20_000 });
  });

  test('unregisters from the entity page after saying what will be removed', async ({ page }) => {
    await page.goto('/catalog/default/component/e2e-parcel-locker');
    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Unregister entity…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Unregister Parcel locker service?' });
    const removed = dialog.getByRole('list', { name: 'Entities that will be removed' });
    await expect(removed).toContainText('component:default/e2e-parcel-locker');
    await expect(removed).toContainText('api:default/e2e-parcel-locker-api');
    await dialog.getByRole('button', { name: 'Unregister location' }).click();
    await expect(page).toHaveURL('/catalog');
    await page.goto('/catalog/default/component/e2e-parcel-locker');
    await expect(page.getByText(/No component named “e2e-parcel-locker”/)).toBeVisible();
  });

  test('the locations page refreshes a location and shows read errors', async ({ page }) => {
    await page.goto('/catalog/locations');
    await expect(page.getByRole('heading', { level: 1, name: 'Locations' })).toBeVisible();
    const first = page.getByRole('table', { name: 'Locations' }).getByRole('row').nth(1);
    await first.getByRole('button', { name: /^Refresh / }).click();
    await expect(first.getByText('Read again')).toBeVisible();
    const errors = page.getByRole('button', { name: /\d+ errors?$/ });
    if ((await errors.count()) > 0) {
      await errors.first().click();
      await expect(page.getByRole('list', { name: /^Errors of / })).toBeVisible();
    }
    await expectNoSeriousA11yViolations(page);
  });
});
