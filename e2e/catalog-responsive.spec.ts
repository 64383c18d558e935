import { expect, test } from '@playwright/test';
import { DESKTOP, expectNoOverlappingCells, expectNoSidewaysScrolling, PHONE } from './layout-checks';

// Every catalog page at a laptop's and a phone's width: nothing cut off, overlapping or
// scrolling sideways; on a phone, lists become cards and the filters fold away.

const PAGES = [
  { name: 'the explorer', path: '/catalog', ready: /components?$/ },
  { name: 'all kinds', path: '/catalog?kind=all', ready: /entities$/ },
  { name: 'an entity page', path: '/catalog/default/component/orders-service', ready: 'Provided APIs' },
  { name: 'a group page', path: '/catalog/default/group/platform-team', ready: 'Members' },
  { name: 'an API definition', path: '/catalog/default/api/orders-api/definition', ready: 'Definition' },
  { name: 'the locations page', path: '/catalog/locations', ready: 'Locations' },
  { name: 'the register page', path: '/catalog-import', ready: 'Register an existing component' },
] as const;

for (const size of [DESKTOP, PHONE]) {
  test.describe(`catalog at ${size.width}px`, () => {
    test.use({ viewport: size });

    for (const item of PAGES) {
      test(`${item.name} fits the window`, async ({ page }) => {
        await page.goto(item.path);
        if (typeof item.ready === 'string') await expect(page.getByRole('heading', { name: item.ready }).first()).toBeVisible();
        else await expect(page.getByRole('status').filter({ hasText: item.ready })).toBeVisible();
        await page.waitForLoadState('networkidle');
        await expectNoSidewaysScrolling(page);
        await expectNoOverlappingCells(page);
      });
    }
  });
}

test.describe('catalog on a phone', () => {
  test.use({ viewport: PHONE });

  test('the explorer shows cards, with the filters behind a button', async ({ page }) => {
    await page.goto('/catalog');
    const cards = page.getByRole('list', { name: 'Catalog: components' });
    await expect(cards.getByRole('listitem').first()).toBeVisible();
    await expect(page.getByRole('table', { name: 'Catalog: components' })).toHaveCount(0);
    // The list starts within the first screen instead of below the filter panel.
    const top = (await cards.boundingBox())!.y;
    expect(top).toBeLessThan(PHONE.height);
    const filters = page.getByRole('button', { name: /^Filters/ });
    await expect(page.getByRole('combobox', { name: 'Kind' })).toBeHidden();
    await filters.click();
    await expect(filters).toHaveAttribute('aria-expanded', 'true');
    await page.getByRole('combobox', { name: 'Kind' }).click();
    await page.getByRole('option', { name: /^API \(\d+\)$/ }).click();
    await expect(page.getByRole('list', { name: 'Catalog: APIs' }).getByRole('listitem').first()).toBeVisible();
    await page.getByRole('list', { name: 'Catalog: APIs' }).getByRole('link', { name: 'orders-api' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Orders API' })).toBeVisible();
  });

  test("an entity's related entities are cards, and its tabs stay on one row", async ({ page }) => {
    await page.goto('/catalog/default/component/orders-service');
    const provided = page.getByRole('region', { name: 'Provided APIs' });
    await expect(provided.getByRole('list').getByRole('listitem')).not.toHaveCount(0);
    await expect(provided.getByRole('table')).toHaveCount(0);
    const tabs = await page.getByRole('tab').evaluateAll((elements) => elements.map((e) => Math.round(e.getBoundingClientRect().top)));
    expect(new Set(tabs).size).toBe(1);
  });

  test("an API's operations keep their paths on one line", async ({ page }) => {
    await page.goto('/catalog/default/api/orders-api/definition');
    const path = page.getByText('/orders/{orderId}', { exact: true }).first();
    await expect(path).toBeVisible();
    const lineHeight = await path.evaluate((e) => parseFloat(getComputedStyle(e).lineHeight) || 20);
    expect((await path.boundingBox())!.height).toBeLessThan(lineHeight * 1.5);
  });

  test('the locations page shows each location as a card with its actions', async ({ page }) => {
    await page.goto('/catalog/locations');
    const list = page.getByRole('list', { name: 'Locations' });
    await expect(list.getByRole('listitem').first()).toContainText('configured');
    await expect(list.getByRole('button', { name: /^Refresh / }).first()).toBeVisible();
  });
});
