import { expect, test } from '@playwright/test';
import { DESKTOP, expectNoOverlappingCells, expectNoSidewaysScrolling, PHONE } from './layout-checks';

test('the System page lists the installed plugins with their status', async ({ page }) => {
  await page.goto('/system');
  const plugins = page.getByRole('table', { name: 'Installed plugins' });
  for (const id of ['system', 'catalog']) {
    const row = plugins.getByRole('row').filter({ has: page.getByRole('rowheader', { name: id, exact: true }) });
    await expect(row).toHaveCount(1);
    await expect(row.getByRole('cell').first()).toHaveText(/running|starting|failed|stopped/);
  }
  await expect(plugins.getByRole('row', { name: /^system/ })).toContainText('running');
});

test('the System page shows the server and database', async ({ page, request }) => {
  const info = (await (await request.get('/api/system/info')).json()) as { version: string; nodeVersion: string };
  await page.goto('/system');
  const server = page.getByRole('table', { name: 'Server' });
  await expect(server).toContainText(info.version);
  await expect(server).toContainText(info.nodeVersion);
  const database = page.getByRole('table', { name: 'Database' });
  await expect(database).toContainText('Embedded Postgres');
  await expect(database).toContainText(':memory:');
  await expect(page.getByRole('region', { name: 'Scheduled jobs' })).toBeVisible();
});

for (const size of [DESKTOP, PHONE]) {
  test.describe(`System page at ${size.width}px`, () => {
    test.use({ viewport: size });

    test('fits the window, plugins and jobs as cards on a phone', async ({ page }) => {
      await page.goto('/system');
      await expect(page.getByRole('region', { name: 'Scheduled jobs' })).toBeVisible();
      await expectNoSidewaysScrolling(page);
      await expectNoOverlappingCells(page);
      const role = size.width < 600 ? 'list' : 'table';
      await expect(page.getByRole(role, { name: 'Installed plugins' })).toContainText('catalog');
      await expect(page.getByRole(role, { name: 'Scheduled jobs' })).toContainText('catalog');
    });
  });
}
