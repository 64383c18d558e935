import { expect, test } from '@playwright/test';
import { countEntities, expectNoSeriousA11yViolations } from './catalog-support';

test.describe('catalog explorer', () => {
  test('lists components with their columns, counts and facet counts', async ({ page, request }) => {
    const components = await countEntities(request, 'kind=component');
    await page.goto('/catalog');
    await expect(page.getByRole('heading', { level: 1, name: 'Catalog' })).toBeVisible();
    await expect(page).toHaveTitle('Catalog · Atrium');
    await expect(page.getByRole('status').filter({ hasText: /components?$/ })).toHaveText(`${components} components`);
    const table = page.getByRole('table', { name: 'Catalog: components' });
    await expect(table.getByRole('columnheader')).toHaveText(['Name', 'System', 'Owner', 'Type', 'Lifecycle', 'Tags']);
    await expect(table.getByRole('columnheader', { name: 'Name' })).toHaveAttribute('aria-sort', 'ascending');
    await expect(table).toHaveAttribute('aria-rowcount', String(components + 1));
    await expect(page.getByRole('combobox', { name: 'Kind' })).toHaveValue(`Component (${components})`);
    await expect(page.getByRole('checkbox', { name: /^production \(\d+\)$/ })).toBeVisible();
  });

  test('filters on the server, keeps the filter in the URL, and Back undoes it', async ({ page, request }) => {
    const services = await countEntities(request, 'kind=component,spec.type=service');
    await page.goto('/catalog');
    const status = page.getByRole('status').filter({ hasText: /components?$/ });
    await expect(status).toHaveText(/\d+ components/);

    await page.getByRole('combobox', { name: 'Type' }).click();
    await page.getByRole('option', { name: /^service \(\d+\)$/ }).click();
    await page.keyboard.press('Escape');
    await expect(page).toHaveURL(/[?&]type=service/);
    await expect(status).toHaveText(`${services} components`);
    const rows = page.getByRole('table', { name: 'Catalog: components' }).getByRole('row');
    await expect(rows.nth(1)).toBeVisible();

    // Filter changes go through a router transition, so wait for the state rather than using check().
    await page.getByRole('checkbox', { name: /^production/ }).click();
    await expect(page.getByRole('checkbox', { name: /^production/ })).toBeChecked();
    await expect(page).toHaveURL(/lifecycle=production/);
    const both = await countEntities(request, 'kind=component,spec.type=service,spec.lifecycle=production');
    await expect(status).toHaveText(`${both} components`);

    await page.goBack();
    await expect(page).not.toHaveURL(/lifecycle=/);
    await expect(status).toHaveText(`${services} components`);
    await page.goBack();
    await expect(page).toHaveURL(/\/catalog$/);
  });

  test('opens a shared link with its filters applied', async ({ page, request }) => {
    const apis = await countEntities(request, 'kind=api,spec.type=openapi');
    await page.goto('/catalog?kind=api&type=openapi');
    await expect(page.getByRole('status').filter({ hasText: /APIs?$/ })).toHaveText(`${apis} APIs`);
    await expect(page.getByRole('combobox', { name: 'Kind' })).toHaveValue(/^API \(\d+\)$/);
    await expect(page.getByRole('table', { name: 'Catalog: APIs' }).getByRole('row')).toHaveCount(apis + 1);
  });

  test('shows per-kind columns: users have e-mail and groups', async ({ page }) => {
    await page.goto('/catalog');
    await page.getByRole('combobox', { name: 'Kind' }).click();
    await page.getByRole('option', { name: /^User \(\d+\)$/ }).click();
    await expect(page).toHaveURL(/kind=user/);
    const table = page.getByRole('table', { name: 'Catalog: users' });
    await expect(table.getByRole('columnheader')).toHaveText(['Name', 'Email', 'Groups']);
    await expect(table.getByRole('row').nth(1).getByRole('link').first()).toBeVisible();
  });

  test('searches as you type and sorts by a column', async ({ page, request }) => {
    await page.goto('/catalog');
    const components = await countEntities(request, 'kind=component');
    const status = page.getByRole('status').filter({ hasText: /components?$/ });
    await expect(status).toHaveText(`${components} components`);
    await page.getByRole('textbox', { name: 'Search the catalog' }).fill('payments');
    await expect(page).toHaveURL(/q=payments/);
    const table = page.getByRole('table', { name: 'Catalog: components' });
    await expect(status).not.toHaveText(`${components} components`);
    await expect(
      table
        .getByRole('rowheader')
        .filter({ hasText: /payment/i })
        .first(),
    ).toBeVisible();

    await page.getByRole('button', { name: 'Clear search' }).click();
    await expect(page).not.toHaveURL(/q=/);
    const firstName = async (order: 'asc' | 'desc') => {
      const response = await request.get(`/api/catalog/entities/by-query?limit=1&filter=kind=component&orderField=metadata.name,${order}`);
      return ((await response.json()) as { items: Array<{ metadata: { name: string } }> }).items[0]!.metadata.name;
    };
    const firstLink = table.getByRole('rowheader').first().getByRole('link');
    await table.getByRole('button', { name: 'Name' }).click();
    await expect(page).toHaveURL(/sort=-name/);
    await expect(table.getByRole('columnheader', { name: 'Name' })).toHaveAttribute('aria-sort', 'descending');
    await expect(firstLink).toHaveAttribute('href', `/catalog/default/component/${await firstName('desc')}`);
    await table.getByRole('button', { name: 'Name' }).click();
    await expect(page).not.toHaveURL(/sort=/);
    await expect(firstLink).toHaveAttribute('href', `/catalog/default/component/${await firstName('asc')}`);
  });

  test('the Name column shows what it sorts by', async ({ page, request }) => {
    const response = await request.get('/api/catalog/entities/by-query?limit=12&filter=kind=component&orderField=metadata.name,asc&fields=metadata.name');
    const names = ((await response.json()) as { items: Array<{ metadata: { name: string } }> }).items.map((e) => e.metadata.name);
    await page.goto('/catalog');
    const table = page.getByRole('table', { name: 'Catalog: components' });
    const links = table.getByRole('rowheader').getByRole('link');
    await expect(links.first()).toBeVisible();
    expect((await links.allTextContents()).slice(0, names.length)).toEqual(names);
  });

  test('names owners and systems by their titles, as entity pages do', async ({ page, request }) => {
    const group = (await (await request.get('/api/catalog/entities/by-name/group/default/storefront-team')).json()) as { metadata: { title: string } };
    await page.goto('/catalog?q=orders-service');
    const row = page
      .getByRole('table', { name: 'Catalog: components' })
      .getByRole('row')
      .filter({ has: page.getByRole('link', { name: 'orders-service', exact: true }) });
    await expect(row.locator('a[href="/catalog/default/group/storefront-team"]')).toHaveText(group.metadata.title);
    const system = (await (await request.get('/api/catalog/entities/by-name/system/default/storefront')).json()) as { metadata: { title: string } };
    await expect(row.locator('a[href="/catalog/default/system/storefront"]')).toHaveText(system.metadata.title);
  });

  test('renders only the rows near the viewport, and loads the rest on scroll', async ({ page, request }) => {
    const total = await countEntities(request, 'kind=user');
    const everything = (await (await request.get('/api/catalog/entities/by-query?limit=1')).json()) as { totalItems: number };
    await page.setViewportSize({ width: 1280, height: 700 });
    await page.goto('/catalog?kind=all');
    const table = page.getByRole('table', { name: 'Catalog: entities' });
    await expect(table).toHaveAttribute('aria-rowcount', String(everything.totalItems + 1));
    const rendered = await table.locator('tbody tr[aria-rowindex]').count();
    expect(rendered).toBeLessThan(everything.totalItems);
    await page.keyboard.press('End');
    await page.mouse.wheel(0, 100_000);
    await expect(table.locator(`tbody tr[aria-rowindex="${everything.totalItems + 1}"]`)).toBeVisible();
    expect(total).toBeGreaterThan(0);
  });

  test('says what to do when nothing matches', async ({ page }) => {
    await page.goto('/catalog?q=zzzz-no-such-thing');
    await expect(page.getByText('No entities match')).toBeVisible();
    await page.getByRole('button', { name: 'Clear filters' }).last().click();
    await expect(page).toHaveURL(/\/catalog$/);
  });

  test('has no serious accessibility violations, in light and dark mode', async ({ page }) => {
    await page.goto('/catalog');
    await expect(page.getByRole('table', { name: 'Catalog: components' }).getByRole('row').nth(1)).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await page.getByRole('button', { name: 'Switch to dark mode' }).click();
    await expectNoSeriousA11yViolations(page);
    await page.getByRole('button', { name: 'Switch to light mode' }).click();
  });
});
