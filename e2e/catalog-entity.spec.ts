import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './catalog-support';

test.describe('entity page', () => {
  test('shows the header, About and relation cards, and links to related entities', async ({ page, request }) => {
    const entity = (await (await request.get('/api/catalog/entities/by-name/component/default/orders-service')).json()) as {
      metadata: { title: string };
      relations: Array<{ type: string; targetRef: string }>;
    };
    await page.goto('/catalog/default/component/orders-service');
    await expect(page.getByRole('heading', { level: 1, name: entity.metadata.title })).toBeVisible();
    await expect(page).toHaveTitle(`${entity.metadata.title} · Atrium`);
    await expect(page.getByText('component:default/orders-service', { exact: true })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Components' })).toHaveAttribute(
      'href',
      '/catalog?kind=component',
    );

    const about = page.getByRole('region', { name: 'About' });
    await expect(about.locator('a[href="/catalog/default/group/storefront-team"]')).toBeVisible();
    await expect(about.locator('a[href="/catalog/default/system/storefront"]')).toBeVisible();

    const provided = entity.relations.filter((r) => r.type === 'providesApi');
    const card = page.getByRole('region', { name: 'Provided APIs' });
    await expect(card.getByRole('table').getByRole('row')).toHaveCount(provided.length + 1);
    await card.getByRole('link', { name: 'Orders API' }).click();
    await expect(page).toHaveURL('/catalog/default/api/orders-api');
    await expect(page.getByRole('heading', { level: 1, name: 'Orders API' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Provided by' }).getByRole('link', { name: entity.metadata.title })).toBeVisible();
  });

  test('writes the owner the same way everywhere: its title, linking to it', async ({ page, request }) => {
    const group = (await (await request.get('/api/catalog/entities/by-name/group/default/storefront-team')).json()) as { metadata: { title: string } };
    await page.goto('/catalog/default/component/orders-service');
    const ownerLinks = page.locator('a[href="/catalog/default/group/storefront-team"]');
    // The header's Owner and the About card's Owner.
    await expect(ownerLinks).toHaveCount(2);
    await expect(ownerLinks).toHaveText([group.metadata.title, group.metadata.title]);
    await page.goto('/docs');
    await expect(
      page.getByRole('table', { name: 'Documented entities' }).getByRole('link', { name: group.metadata.title, exact: true }).first(),
    ).toHaveAttribute('href', '/catalog/default/group/storefront-team');
  });

  test('has tabs, including the raw YAML, reachable by URL and keyboard', async ({ page }) => {
    await page.goto('/catalog/default/component/orders-service');
    const tabs = page.getByRole('tablist', { name: 'Entity sections' });
    await expect(tabs.getByRole('tab', { name: 'Overview' })).toHaveAttribute('aria-selected', 'true');
    await tabs.getByRole('tab', { name: 'YAML' }).click();
    await expect(page).toHaveURL('/catalog/default/component/orders-service/yaml');
    const yaml = page.getByLabel('Entity YAML');
    await expect(yaml).toContainText('kind: Component');
    await expect(yaml).toContainText('relations:');
    await page.getByRole('switch', { name: 'Relations and status' }).uncheck();
    await expect(yaml).not.toContainText('relations:');

    // Arrow keys move between tabs (the tab list follows the WAI-ARIA pattern).
    await tabs.getByRole('tab', { name: 'Overview' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(tabs.getByRole('tab', { name: 'Relations' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/relations$/);
    await page.goto('/catalog/default/component/orders-service/yaml');
    await expect(tabs.getByRole('tab', { name: 'YAML' })).toHaveAttribute('aria-selected', 'true');
  });

  test('refreshes from the menu and offers to copy the ref', async ({ page }) => {
    await page.goto('/catalog/default/component/orders-service');
    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Refresh from source' }).click();
    await expect(page.getByText('Refreshed from its source.')).toBeVisible();
  });

  test('explains an unknown entity instead of failing', async ({ page }) => {
    await page.goto('/catalog/default/component/no-such-component');
    await expect(page.getByText('No component named “no-such-component” in namespace “default”')).toBeVisible();
    await expect(page).toHaveTitle('Entity not found · Atrium');
    await page.getByRole('link', { name: 'Search the catalog' }).click();
    await expect(page).toHaveURL(/\/catalog\?kind=all&q=no-such-component/);
  });

  test('has no serious accessibility violations', async ({ page }) => {
    await page.goto('/catalog/default/component/orders-service');
    await expect(page.getByRole('region', { name: 'Provided APIs' }).getByRole('row').nth(1)).toBeVisible();
    await expectNoSeriousA11yViolations(page);
  });
});
