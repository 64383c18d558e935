import { expect, test, type Page } from '@playwright/test';
import { DESKTOP, expectNoOverlappingCells, expectNoSidewaysScrolling, PHONE } from './layout-checks';

// The example catalog ships the "Production readiness" and "Documentation" scorecards and one
// initiative (catalog-examples/scorecards); results appear once the catalog has loaded them.

test.describe('scorecards', () => {
  test.beforeAll(async ({ request }) => {
    await expect
      .poll(
        async () => {
          const res = await request.get('/api/scorecards/entities/component/default/payments-service');
          return res.ok() ? ((await res.json()) as { results: unknown[] }).results.length : 0;
        },
        { timeout: 60_000 },
      )
      .toBe(2);
  });

  test('overview shows level distribution, rule pass rates, teams and initiatives', async ({ page }) => {
    await page.goto('/scorecards');
    await expect(page.getByRole('heading', { name: 'Scorecards', level: 1 })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Production readiness' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Documentation' })).toBeVisible();
    await expect(page.getByRole('img', { name: /Production readiness level distribution: No level \d+, Bronze \d+, Silver \d+, Gold \d+/ })).toBeVisible();
    await expect(page.getByText('Owned by a team that exists')).toBeVisible();
    // Owners are named by their title everywhere, as EntityRefLink names them (payments-team is "Payments").
    await expect(page.getByRole('table', { name: 'Production readiness teams' }).getByRole('link', { name: 'Payments', exact: true })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Production services to Silver' })).toBeVisible();
  });

  test('entity tab shows level badges and each rule with actual and expected values', async ({ page }) => {
    await page.goto('/catalog/default/component/payments-service');
    await page.getByRole('tab', { name: 'Scorecards' }).click();
    await expect(page).toHaveURL(/\/scorecards$/);
    const rules = page.getByRole('table', { name: 'Production readiness rules' });
    await expect(rules).toBeVisible();
    const ownerRow = rules.getByRole('row').filter({ hasText: 'Owned by a team that exists' });
    await expect(ownerRow).toContainText('Passing');
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
    await expect(page.getByRole('table', { name: 'Progress per team' })).toContainText('Payments');
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

/** The title's " · "-separated parts never repeat ("Orders · Orders · Atrium" did). */
async function expectTitleWithoutRepeats(page: Page, first: string) {
  await expect(page).toHaveTitle(new RegExp(`^${first}`));
  const parts = (await page.title()).split(' · ');
  expect(new Set(parts).size, await page.title()).toBe(parts.length);
}

test.describe('scorecard and rule pages', () => {
  test('scorecard names and rules are links: scorecard page, then the entities failing a rule', async ({ page }) => {
    await page.goto('/scorecards');
    await page.getByRole('link', { name: 'Production readiness', exact: true }).click();
    await expect(page).toHaveURL(/\/scorecards\/production-readiness$/);
    await expect(page.getByRole('heading', { name: 'Production readiness', level: 1 })).toBeVisible();
    await expectTitleWithoutRepeats(page, 'Production readiness · Atrium');
    await expect(page.getByText(/kind: Component · type: service or website \(\d+ entities\)/)).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Initiatives' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Production services to Silver' })).toBeVisible();
    await page.getByRole('link', { name: 'Links to a dashboard' }).click();
    await expect(page).toHaveURL(/\/scorecards\/production-readiness\/rules\/has-dashboard-link$/);
    await expect(page.getByRole('heading', { name: 'Links to a dashboard', level: 1 })).toBeVisible();
    await expectTitleWithoutRepeats(page, 'Links to a dashboard · Production readiness · Atrium');
    const entities = page.getByRole('table', { name: 'Entities for Links to a dashboard' });
    await expect(entities.getByRole('row').nth(1)).toContainText('Failing');
    await expect(entities).not.toContainText('Passing');
    await page.getByRole('combobox', { name: 'Which entities' }).click();
    await page.getByRole('option', { name: 'Passing' }).click();
    await expect(entities.getByRole('row').nth(1)).toContainText('Passing');
    await expect(entities).not.toContainText('Failing');
  });

  test('an upcoming rule shows no pass rate on the overview; entity pages show it upcoming', async ({ page }) => {
    await page.goto('/scorecards');
    const row = page.getByRole('table', { name: 'Production readiness pass rate per rule' }).getByRole('row').filter({ hasText: 'TechDocs built' });
    await expect(row).toContainText(/Upcoming from 2027-01-01 · \d+\/\d+ would pass/);
    await expect(row).not.toContainText('%');
    await page.goto('/catalog/default/component/payments-service/scorecards');
    const rule = page.getByRole('table', { name: 'Production readiness rules' }).getByRole('row').filter({ hasText: 'TechDocs built' });
    await expect(rule).toContainText('Upcoming');
    await expect(rule).not.toContainText('Passing');
  });

  test('the entity overview shows a scorecard summary', async ({ page }) => {
    await page.goto('/catalog/default/component/payments-service');
    const card = page.getByRole('region', { name: 'Scorecards' });
    await expect(card.getByRole('link', { name: 'Production readiness' })).toBeVisible();
    await expect(card).toContainText(/\d+\/50 points/);
    await card.getByRole('link', { name: 'All rules' }).click();
    await expect(page).toHaveURL(/\/catalog\/default\/component\/payments-service\/scorecards$/);
  });

  test('Scorecard and Initiative entity pages link to their results', async ({ page }) => {
    await page.goto('/catalog/default/scorecard/production-readiness');
    await expect(page.getByRole('region', { name: 'Results' }).getByRole('img', { name: /Production readiness level distribution/ })).toBeVisible();
    await page.getByRole('link', { name: 'Results' }).click();
    await expect(page.getByRole('heading', { name: 'Production readiness', level: 1 })).toBeVisible();
    await page.goto('/catalog/default/initiative/production-services-silver');
    await expect(page.getByRole('region', { name: 'Progress' })).toContainText(/\d+\/\d+/);
    await page.getByRole('link', { name: 'Progress' }).click();
    await expect(page.getByRole('heading', { name: 'Production services to Silver', level: 1 })).toBeVisible();
  });

  test('an exemption is requested on the entity page and granted on the rule page', async ({ page }) => {
    await page.goto('/catalog/default/component/payments-service/scorecards');
    const row = page.getByRole('table', { name: 'Documentation rules' }).getByRole('row').filter({ hasText: 'Has TechDocs' });
    await expect(row).toContainText('Failing');
    await row.getByRole('button', { name: 'Request exemption' }).click();
    const dialog = page.getByRole('dialog', { name: /Request an exemption from “Has TechDocs”/ });
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('Docs move to the new portal next quarter');
    await dialog.getByRole('button', { name: 'Request' }).click();
    await expect(dialog).toBeHidden();
    await expect(row).toContainText('Exemption requested');

    await page.goto('/scorecards/documentation/rules/has-techdocs');
    const requests = page.getByRole('table', { name: 'Exemption requests' });
    const request = requests.getByRole('row').filter({ hasText: 'Docs move to the new portal next quarter' });
    await expect(request).toContainText(/guest/i);
    await request.getByRole('button', { name: 'Grant' }).click();
    const granted = page.getByRole('table', { name: 'Granted exemptions' }).getByRole('row').filter({ hasText: 'Docs move to the new portal next quarter' });
    await expect(granted).toBeVisible();
    await expect(page.getByText('No requests waiting.')).toBeVisible();

    await page.goto('/catalog/default/component/payments-service/scorecards');
    await expect(page.getByRole('table', { name: 'Documentation rules' }).getByRole('row').filter({ hasText: 'Has TechDocs' })).toContainText('Exempt');
    // Leave the catalog as it was for the other tests.
    await page.goto('/scorecards/documentation/rules/has-techdocs');
    await page
      .getByRole('table', { name: 'Granted exemptions' })
      .getByRole('row')
      .filter({ hasText: 'Docs move to the new portal next quarter' })
      .getByRole('button', { name: 'Revoke' })
      .click();
    await expect(page.getByText('No active exemptions.')).toBeVisible();
  });
});

test.describe('scorecards not-found pages', () => {
  test('an unknown address under /scorecards is a not-found page, not the overview', async ({ page }) => {
    await page.goto('/scorecards/anything');
    await expect(page.getByRole('heading', { name: 'Scorecard not found', level: 1 })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Initiatives' })).toHaveCount(0);
    await page.goto('/scorecards/anything/else/entirely');
    await expect(page.getByRole('heading', { name: 'Page not found', level: 1 })).toBeVisible();
    await page.goto('/scorecards/production-readiness/rules/nope');
    await expect(page.getByRole('heading', { name: 'Rule not found', level: 1 })).toBeVisible();
  });

  test('a missing initiative is a friendly not-found, without the API path or "Try again"', async ({ page }) => {
    await page.goto('/scorecards/initiatives/no-such-initiative');
    await expect(page.getByRole('heading', { name: 'Initiative not found', level: 1 })).toBeVisible();
    await expect(page.getByText(/no initiative “no-such-initiative”/)).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Try again' })).toHaveCount(0);
    await expect(page.locator('body')).not.toContainText('/api/');
    await page.getByRole('link', { name: 'All scorecards' }).click();
    await expect(page.getByRole('heading', { name: 'Scorecards', level: 1 })).toBeVisible();
  });
});

const PAGES = [
  { name: 'the overview', path: '/scorecards', heading: 'Scorecards' },
  { name: 'a scorecard', path: '/scorecards/production-readiness', heading: 'Production readiness' },
  { name: 'a rule', path: '/scorecards/production-readiness/rules/has-dashboard-link', heading: 'Links to a dashboard' },
  { name: 'an initiative', path: '/scorecards/initiatives/production-services-silver', heading: 'Production services to Silver' },
  { name: 'a team', path: `/scorecards/teams/${encodeURIComponent('group:default/payments-team')}`, heading: 'Scorecards for Payments' },
  { name: "an entity's Scorecards tab", path: '/catalog/default/component/payments-service/scorecards', heading: 'Production readiness' },
] as const;

for (const size of [DESKTOP, PHONE]) {
  test.describe(`scorecards at ${size.width}px`, () => {
    test.use({ viewport: size });
    for (const item of PAGES) {
      test(`${item.name} fits the window`, async ({ page }) => {
        await page.goto(item.path);
        await expect(page.getByRole('heading', { name: item.heading }).first()).toBeVisible();
        await page.waitForLoadState('networkidle');
        await expectNoSidewaysScrolling(page);
        await expectNoOverlappingCells(page);
      });
    }
  });
}

test.describe('scorecards on a phone', () => {
  test.use({ viewport: PHONE });
  test('lists are cards rather than wide tables', async ({ page }) => {
    await page.goto('/scorecards/initiatives/production-services-silver');
    await expect(page.getByRole('list', { name: 'Failing entities' }).getByRole('listitem').first()).toContainText('Failing rules');
    await expect(page.getByRole('table', { name: 'Failing entities' })).toHaveCount(0);
  });
});
