import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './catalog-support';
import { expectNoSidewaysScrolling, PHONE } from './layout-checks';
import { ADMIN, NON_OWNER, OWNER, PERMISSIONS_BASE_URL, startPermissionsStack } from './permissionsServer';

// Against its own server (guest off, OIDC, a policy where entity changes are for owners; see
// e2e/app-config.permissions.yaml). payments-psp-adapter is owned by payments-team, Tomasz's team.
test.use({ baseURL: PERMISSIONS_BASE_URL });
test.describe.configure({ mode: 'serial' });

const ENTITY_PATH = '/catalog/default/component/payments-psp-adapter';
const ENTITY_API = '/api/catalog/entities/by-name/component/default/payments-psp-adapter';

let stop: (() => Promise<void>) | undefined;
test.beforeAll(async () => {
  test.setTimeout(150_000);
  stop = await startPermissionsStack();
});
test.afterAll(async () => {
  await stop?.();
});

/** Opens `path`, which sends the browser to sign-in; signs in as `login` on the OpenID Provider's form and comes back. */
async function signInAt(page: Page, path: string, login: string): Promise<void> {
  await page.goto(path);
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByRole('link', { name: 'Sign in with Acme SSO' }).click();
  await page.getByPlaceholder('Enter any login').fill(login);
  await page.getByPlaceholder('and password').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(new RegExp(`${path.replace(/[/?]/g, '\\$&')}$`));
}

test('a non-owner sees no Unregister action, and Refresh is disabled with the reason', async ({ page }, testInfo) => {
  await signInAt(page, ENTITY_PATH, NON_OWNER.sub);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Second payment provider adapter');
  await page.getByRole('button', { name: 'More actions' }).click();
  await expect(page.getByRole('menuitem', { name: 'Copy entity reference' })).toBeVisible();
  await expect(page.getByRole('menuitem', { name: 'Refresh from source' })).toBeDisabled();
  await expect(page.getByRole('menuitem', { name: /Unregister/ })).toHaveCount(0);
  // The disabled item says why.
  await page.getByRole('menuitem', { name: 'Refresh from source' }).hover({ force: true });
  await expect(page.getByRole('tooltip')).toContainText('You may not refresh this entity: no rule of permission.policy allows catalog.entity.refresh');
  await page.screenshot({ path: testInfo.outputPath('non-owner-menu.png') });
  // The server agrees: the policy denies the delete (the UI did not just hide a working button).
  const denied = await page.request.delete(`/api/catalog/entities/by-uid/${await entityUid(page)}`);
  expect(denied.status()).toBe(403);
  // Not an administrator: no Permissions page in the navigation.
  await expect(page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Audit log' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Permissions' })).toHaveCount(0);
});

test('an administrator sees why: the Permissions page explains a user, and a target', async ({ page }, testInfo) => {
  await signInAt(page, '/', ADMIN.sub);
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Permissions' }).click();
  await expect(page).toHaveURL(/\/permissions$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Permissions' })).toBeVisible();
  await expect(page.getByText('Choose a user')).toBeVisible();

  await page.getByRole('combobox', { name: 'User' }).fill('li.wei');
  await page.getByRole('option', { name: /li\.wei/ }).click();
  await expect(page).toHaveURL(/\/permissions\?user=user%3Adefault%2Fli\.wei$/);
  const table = page.getByRole('table', { name: 'Permission decisions' });
  const deleteRow = table.getByRole('row', { name: /^catalog\.entity\.delete / });
  await expect(deleteRow).toContainText('Allowed for some targets');
  await expect(deleteRow).toContainText('owners-change');
  await expect(table.getByRole('row', { name: /^audit\.log\.read / })).toContainText('Denied');

  await page.locator('label', { hasText: /^Denied \(\d+\)$/ }).click();
  await expect(page.getByRole('radio', { name: /^Denied/ })).toBeChecked();
  await expect(table.getByRole('row', { name: /^catalog\.entity\.read / })).toHaveCount(0);
  await page.getByRole('textbox', { name: 'Filter' }).fill('audit');
  await expect(table.getByRole('row', { name: /^audit\.log\.read / })).toBeVisible();

  const check = page.getByRole('form', { name: 'Check a permission on a target' });
  await check.getByRole('combobox', { name: 'Permission' }).fill('catalog.entity.delete');
  await page.getByRole('option', { name: 'catalog.entity.delete' }).click();
  await check.getByRole('textbox', { name: 'Target' }).fill('component:default/payments-psp-adapter');
  await check.getByRole('button', { name: 'Explain' }).click();
  await expect(check.getByRole('status')).toContainText('Denied');
  await page.screenshot({ path: testInfo.outputPath('permissions-page.png'), fullPage: true });
  await expectNoSeriousA11yViolations(page);

  // On a phone the decisions read as cards, and nothing scrolls sideways.
  await page.setViewportSize(PHONE);
  await page.getByRole('textbox', { name: 'Filter' }).fill('');
  await expect(page.locator('[data-permission="audit.log.read"]:visible')).toBeVisible();
  await expectNoSidewaysScrolling(page);
  await page.screenshot({ path: testInfo.outputPath('permissions-page-phone.png'), fullPage: true });
});

test('the owner sees Unregister, and unregistering works', async ({ page }, testInfo) => {
  await signInAt(page, ENTITY_PATH, OWNER.sub);
  await page.getByRole('button', { name: 'More actions' }).click();
  await expect(page.getByRole('menuitem', { name: 'Refresh from source' })).toBeEnabled();
  await page.getByRole('menuitem', { name: 'Unregister entity…' }).click();
  const dialog = page.getByRole('dialog');
  // The example catalog comes from config, so only the entity itself can go.
  const deleteEntity = dialog.getByRole('button', { name: 'Delete entity only' });
  await expect(deleteEntity).toBeEnabled();
  await page.screenshot({ path: testInfo.outputPath('owner-unregister.png') });
  await deleteEntity.click();
  await expect(page).toHaveURL(/\/catalog(\?.*)?$/);
  expect((await page.request.get(ENTITY_API)).status()).toBe(404);
});

async function entityUid(page: Page): Promise<string> {
  const response = await page.request.get(ENTITY_API);
  expect(response.ok()).toBe(true);
  return ((await response.json()) as { metadata: { uid: string } }).metadata.uid;
}
