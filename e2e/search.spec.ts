import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './catalog-support';
import { expectNoSidewaysScrolling, PHONE } from './layout-checks';

// The example catalog's payments-service (catalog-examples/components/billing.yaml) is indexed
// when the backend starts; the palette and the search page find it by name.
const ENTITY_PATH = '/catalog/default/component/payments-service';

/** Waits until the search index answers for the example catalog (it is built at start). */
async function waitForIndex(page: Page): Promise<void> {
  await expect
    .poll(
      async () => {
        const response = await page.request.get('/api/search/query?term=payments-service&types=software-catalog');
        if (!response.ok()) return `HTTP ${response.status()}`;
        const body = (await response.json()) as { results: Array<{ document: { location: string } }> };
        return body.results.some((r) => r.document.location === ENTITY_PATH) ? 'indexed' : 'not yet';
      },
      { timeout: 30_000 },
    )
    .toBe('indexed');
}

test('Ctrl-K, type, arrow down, Enter lands on the entity page', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome to Atrium' })).toBeVisible();
  await waitForIndex(page);

  await page.keyboard.press('Control+K');
  const dialog = page.getByRole('dialog');
  const input = dialog.getByRole('combobox', { name: 'Search Atrium' });
  await expect(input).toBeFocused();
  // Empty: the actions are offered.
  await expect(dialog.getByRole('option', { name: /Create component/ })).toBeVisible();

  await input.pressSequentially('payments-service');
  const hit = dialog.getByRole('group', { name: 'Catalog' }).getByRole('option').first();
  await expect(hit).toContainText(/payments/i);
  await page.keyboard.press('ArrowDown');
  await expect(hit).toHaveAttribute('aria-selected', 'true');
  await expect(input).toHaveAttribute('aria-activedescendant', (await hit.getAttribute('id')) ?? 'missing');
  await page.keyboard.press('Enter');

  await expect(page).toHaveURL(ENTITY_PATH);
  await expect(page.getByRole('heading', { level: 1, name: 'Payments service' })).toBeVisible();
  await expect(dialog).toBeHidden();

  // Opened once, it is a recent item the next time, and Escape closes the palette.
  await page.getByRole('button', { name: /^Search \(/ }).click();
  await expect(
    page
      .getByRole('dialog')
      .getByRole('group', { name: 'Recent' })
      .getByRole('option', { name: /Payments service/ }),
  ).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();

  // Keys typed right after Ctrl-K are not lost while the dialog opens.
  await page.keyboard.press('Control+K');
  await page.keyboard.type('paym');
  await expect(page.getByRole('dialog').getByRole('combobox', { name: 'Search Atrium' })).toHaveValue('paym');
});

test('the search page filters by a facet in the URL and opens a result', async ({ page }) => {
  await page.goto('/');
  await waitForIndex(page);
  await page.goto('/search?q=payments');
  await expect(page.getByRole('heading', { level: 1, name: 'Search' })).toBeVisible();
  await expect(page).toHaveTitle('payments · Search · Atrium');
  const results = page.getByRole('region', { name: 'Search results' });
  await expect(results.getByRole('article').first()).toBeVisible();
  await expect(results.locator('mark').first()).toBeVisible();
  await expect(page.getByRole('tab', { name: /^All \(\d+\)$/ })).toHaveAttribute('aria-selected', 'true');

  await page.getByRole('combobox', { name: 'Kind' }).click();
  await page.getByRole('option', { name: /^Component \(\d+\)$/ }).click();
  await expect(page).toHaveURL(/[?&]kind=Component(&|$)/);
  await expect(results.getByRole('article').first()).toBeVisible();
  // The filtered answer replaces the previous one (kept on screen while it loads): every result is a Component.
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  await expect(results.getByRole('article').filter({ hasNotText: 'Component' })).toHaveCount(0);
  await expect(results.getByRole('article').first()).toBeVisible();

  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Kind' })).toHaveValue(/^Component/);
  await expectNoSeriousA11yViolations(page);

  await results
    .getByRole('link', { name: /Payments service/ })
    .first()
    .click();
  await expect(page).toHaveURL(ENTITY_PATH);
});

test('a term that matches nothing says so', async ({ page }) => {
  await page.goto('/');
  await waitForIndex(page);
  await page.goto('/search?q=zzzzqqqq');
  await expect(page.getByText('No results for “zzzzqqqq”')).toBeVisible();
});

test.describe('on a phone', () => {
  test.use({ viewport: PHONE });

  test('the palette and the search page fit the window', async ({ page }) => {
    await page.goto('/');
    await waitForIndex(page);
    await page.getByRole('button', { name: /^Search \(/ }).click();
    await page.getByRole('combobox', { name: 'Search Atrium' }).fill('payments');
    await expect(page.getByRole('dialog').getByRole('option').first()).toBeVisible();
    await expectNoSidewaysScrolling(page);
    await page.keyboard.press('Escape');
    await page.goto('/search?q=payments');
    await expect(page.getByRole('region', { name: 'Search results' }).getByRole('article').first()).toBeVisible();
    await expectNoSidewaysScrolling(page);
  });
});
