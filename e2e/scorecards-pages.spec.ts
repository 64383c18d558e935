import { expect, test } from '@playwright/test';

// The example catalog ships the "Production readiness" and "Documentation" scorecards and one
// initiative (catalog-examples/scorecards); results appear once the catalog has loaded them.

test.describe('scorecards', () => {
  test.beforeAll(async ({ request }) => {
    await expect
      .poll(async () => {
        const res = await request.get('/api/scorecards/entities/component/default/payments-service');
        return res.ok() ? ((await res.json()) as { results: unknown[] }).results.length : 0;
      }, { timeout: 60_000 })
      .toBe(2);
  });

  test('overview shows level distribution, rule pass rates, teams and initiatives', async ({ page }) => {
    await page.goto('/scorecards');
    await expect(page.getByRole('heading', { name: 'Scorecards', level: 1 })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Production readiness' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Documentation' })).toBeVisible();
    await expect(page.getByRole('img', { name: /Production readiness level distribution: No level \d+, Bronze \d+, Silver \d+, Gold \d+/ })).toBeVisible();
    await expect(page.getByText('Owned by a team that exists')).toBeVisible();
    await expect(page.getByRole('link', { name: 'payments-team' }).first()).toBeVisible();
    await expect(page.getByRole('link', { name: 'Production services to Silver' })).toBeVisible();
  });

  test('entity tab shows level badges and each rule with actual and expected values', async ({ page }) => {
    await page.goto('/catalog/default/component/payments-service');
    await page.getByRole('tab', { name: 'Scorecards' }).click();
    await expect(page).toHaveURL(/\/scorecards$/);
    const rules = page.getByRole('table', { name: 'Production readiness rules' });
    await expect(rules).toBeVisible();
    const ownerRow = rules.getByRole('row').filter({ hasText: 'Owned by a team that exists' });
    await expect(ownerRow).toContainText('Passed');
    await expect(ownerRow).toContainText('payments-team');
    await expect(ownerRow).toContainText('spec.owner names a Group or User in the catalog');
    await expect(rules.getByRole('row').filter({ hasText: 'TechDocs built' })).toContainText('Upcoming');
    await expect(page.getByText(/\d+\/50 points/)).toBeVisible();
  });

  test('initiative page shows progress, burn-up, teams and failing entities with days left', async ({ page }) => {
    await page.goto('/scorecards');
    await page.getByRole('link', { name: 'Production services to Silver' }).click();
    await expect(page.getByRole('heading', { name: 'Production services to Silver', level: 1 })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Burn-up' })).toBeVisible();
    await expect(page.getByRole('img', { name: 'Burn-up' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Progress per team' })).toContainText('payments-team');
    const failing = page.getByRole('table', { name: 'Failing entities' });
    await expect(failing).toContainText('Links to a dashboard');
  });

  test('team view orders what to fix next', async ({ page }) => {
    await page.goto(`/scorecards/teams/${encodeURIComponent('group:default/payments-team')}`);
    const rows = page.getByRole('table', { name: 'Fix next' }).getByRole('row');
    await expect(rows.nth(1)).toContainText('1');
    await expect(page.getByRole('table', { name: 'Fix next' })).toContainText('Links to a dashboard');
  });
});
