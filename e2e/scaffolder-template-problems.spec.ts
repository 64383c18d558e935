import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations, registerFile, unregister, writeDescriptor } from './catalog-support';

// A Template whose second step names an unknown wait action ("wait:untill", line 21). The
// catalog stores it, and the scaffolder's check flags it: its entity page says so at the line,
// it cannot be launched, its form refuses to run it; once the file is fixed and the location
// refreshed, the problem is gone and it runs.
const NAME = 'e2e-pause-template';
const ACTION_LINE = 21;
const template = (action: string) => `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: ${NAME}
  title: Pause template
  description: Says hello, then pauses for a second
spec:
  type: service
  owner: group:default/platform-team
  parameters:
    - title: Details
      properties:
        note: { title: Note, type: string }
  steps:
    - id: hello
      name: Say hello
      action: debug:log
      input: { message: 'hello \${{ parameters.note }}' }
    - id: pause
      name: Pause
      action: ${action}
      input: { duration: 1 }
`;

test.describe.configure({ mode: 'serial' });

let file: string;
let locationId: string | undefined;

test.beforeAll(async ({ request }) => {
  expect(template('wait:untill').split('\n')[ACTION_LINE - 1]).toBe('      action: wait:untill');
  file = writeDescriptor('template-problems', template('wait:untill'));
  locationId = await registerFile(request, file);
});

test.afterAll(async ({ request }) => {
  if (locationId) await unregister(request, locationId);
});

test('a template with an unknown wait action is shown with the problem at its line, refused, and runs once its file is fixed', async ({ page, request }) => {
  test.setTimeout(120_000);

  // 1. The entity page: the version is stored and shown, with the problem at its line and field.
  await page.goto(`/catalog/default/template/${NAME}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Pause template');
  const banner = page.getByRole('alert').filter({ hasText: 'This template has a problem and cannot be run' });
  await expect(banner).toBeVisible({ timeout: 20_000 });
  await expect(banner).toContainText('This version is stored in the catalog and shown here as it is');
  await expect(banner).toContainText('cannot be run until the file is fixed');
  await expect(banner).toContainText(`${file}:${ACTION_LINE}`);
  await expect(banner).toContainText('field spec.steps[1].action');
  await expect(banner).toContainText('Step "pause", action: unknown wait action "wait:untill"');
  await expect(banner).not.toContainText('out of date');
  await expect(page.getByRole('button', { name: 'Launch' })).toBeDisabled();
  await expect(page.getByText('cannot be run until its file is fixed')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('template-with-problem.png'), fullPage: true });
  await expectNoSeriousA11yViolations(page);

  // 2. Running it: the form page refuses up front with the same reason, and so does the server.
  await page.goto(`/create/templates/default/${NAME}`);
  const refusal = page.getByRole('alert').filter({ hasText: 'This template cannot be run' });
  await expect(refusal).toContainText(`${file}:${ACTION_LINE}`);
  await expect(refusal).toContainText('field spec.steps[1].action');
  await expect(refusal).toContainText('unknown wait action "wait:untill"');
  await expect(page.getByRole('button', { name: 'Review', exact: true })).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('template-run-refused.png'), fullPage: true });
  const refused = await request.post('/api/scaffolder/v2/tasks', { data: { templateRef: `template:default/${NAME}`, values: { note: 'x' } } });
  expect(refused.status()).toBe(400);
  expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('unknown wait action "wait:untill"');

  // 3. The file is fixed; until its location is read again the stored version keeps its problem.
  writeDescriptor('template-problems', template('wait:until'));
  await refusal.getByRole('link', { name: 'Open its catalog page' }).click();
  await expect(page).toHaveURL(`/catalog/default/template/${NAME}`);
  await expect(banner).toBeVisible();
  await page.getByRole('button', { name: 'More actions' }).click();
  await page.getByRole('menuitem', { name: 'Refresh from source' }).click();
  await expect(page.getByText('Refreshed from its source.')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('alert').filter({ hasText: /problem|refused|processing error/i })).toHaveCount(0);
  await expect(page.getByText('wait:untill')).toHaveCount(0);

  // 4. It runs: Launch, fill in the form, create; both steps complete.
  await page.getByRole('link', { name: 'Launch' }).click();
  await expect(page).toHaveURL(`/create/templates/default/${NAME}`);
  await page.getByRole('textbox', { name: 'Note' }).fill('from the end-to-end test');
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(page).toHaveURL(/\/create\/tasks\/[0-9a-f-]{36}$/);
  const steps = page.getByRole('list', { name: 'Steps' });
  await expect(steps.locator('[data-status="completed"]')).toHaveCount(2, { timeout: 45_000 });
  await expect(page.getByTestId('task-summary')).toContainText('Completed');
});
