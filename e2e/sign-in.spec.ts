import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './catalog-support';
import { AMARA, SIGN_IN_BASE_URL, startSignInStack, type SignInStack } from './signInServer';

// These tests run against their own server (guest off, one OIDC provider: a real oidc-provider
// started here), not the shared e2e server; see e2e/signInServer.ts.
test.use({ baseURL: SIGN_IN_BASE_URL });
test.describe.configure({ mode: 'serial' });

let stack: SignInStack | undefined;
test.beforeAll(async () => {
  test.setTimeout(150_000);
  stack = await startSignInStack();
});
test.afterAll(async () => {
  await stack?.stop();
});

/** On the sign-in page: choose the OIDC provider, log in on its form as `login`, and consent. */
async function signInWithOidc(page: Page, login: string): Promise<void> {
  await page.getByRole('link', { name: 'Sign in with Acme SSO' }).click();
  await page.getByPlaceholder('Enter any login').fill(login);
  await page.getByPlaceholder('and password').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('signs in through the OpenID Provider, comes back to the page it started from, and signs out', async ({ page }, testInfo) => {
  await page.goto('/catalog?kind=api');
  // The guest is off: the first API answer is 401, which sends the browser to sign-in.
  await expect(page).toHaveURL(/\/sign-in\?returnTo=%2Fcatalog%3Fkind%3Dapi$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Continue as guest' })).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('sign-in-page.png') });
  await expectNoSeriousA11yViolations(page);

  await signInWithOidc(page, AMARA.sub);

  await expect(page).toHaveURL(/\/catalog\?kind=api$/);
  const account = page.getByRole('button', { name: 'Account: Amara Okafor' });
  await expect(account).toBeVisible();
  await expect(page.getByRole('banner')).toContainText('Amara Okafor');

  await account.click();
  await expect(page.getByRole('menuitem', { name: 'My profile' })).toHaveAttribute('href', '/catalog/default/user/amara.okafor');
  await page.screenshot({ path: testInfo.outputPath('user-menu.png') });
  await page.getByRole('menuitem', { name: 'Sign out' }).click();

  await expect(page).toHaveURL(/\/sign-in$/);
  // Signed out for real: the portal asks to sign in again.
  await page.goto('/create');
  await expect(page).toHaveURL(/\/sign-in\?returnTo=%2Fcreate$/);
});

test('the home page shows my teams, and the catalog filters to what I own', async ({ page }, testInfo) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in$/);
  await signInWithOidc(page, AMARA.sub);
  await expect(page).toHaveURL(`${SIGN_IN_BASE_URL}/`);
  const teams = page.getByRole('region', { name: 'My teams' });
  await expect(teams.getByRole('link').first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'My components' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'My running tasks' })).toContainText('Nothing running');
  await page.screenshot({ path: testInfo.outputPath('home.png'), fullPage: true });

  // The explorer's "Owned by me" is the owner filter set to the user and their groups.
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Catalog' }).click();
  const ownedByMe = page.getByRole('switch', { name: 'Owned by me' });
  await expect(ownedByMe).not.toBeChecked();
  await ownedByMe.click();
  await expect(page).toHaveURL(/owner=user%3Adefault%2Famara.okafor/);
  await expect(page).toHaveURL(/owner=group%3Adefault%2Facme/);
  await expect(ownedByMe).toBeChecked();
});

test('creates an API token, shows its secret once, and revokes it', async ({ page, request }, testInfo) => {
  await page.goto('/settings/tokens');
  await expect(page).toHaveURL(/\/sign-in\?returnTo=%2Fsettings%2Ftokens$/);
  await signInWithOidc(page, AMARA.sub);
  await expect(page).toHaveURL(/\/settings\/tokens$/);
  await expect(page.getByRole('tab', { name: 'API tokens', selected: true })).toBeVisible();

  await page.getByRole('button', { name: 'New token' }).click();
  const dialog = page.getByRole('dialog', { name: 'New API token' });
  await dialog.getByRole('textbox', { name: 'Name' }).fill('e2e-ci');
  await dialog.getByRole('button', { name: 'Create token' }).click();

  const created = page.getByRole('dialog', { name: 'Token created' });
  const secretBox = created.getByTestId('new-token-secret');
  await expect(secretBox).toContainText(/^atr_/);
  await expect(created.getByRole('button', { name: 'Copy token' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('token-created.png') });
  const secret = (await secretBox.textContent())?.trim() ?? '';

  // The secret works as a bearer token (the `request` fixture has no session cookie).
  const asToken = { headers: { authorization: `Bearer ${secret}` } };
  expect((await request.get('/api/auth/me', asToken)).status()).toBe(200);

  await created.getByRole('button', { name: 'Done' }).click();
  const tokens = page.getByRole('list', { name: 'API tokens' });
  await expect(tokens.getByRole('listitem', { name: 'Token e2e-ci' })).toContainText('Active');
  await expect(page.getByText(secret)).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('tokens.png'), fullPage: true });
  await expectNoSeriousA11yViolations(page);

  await tokens.getByRole('button', { name: 'Revoke token e2e-ci' }).click();
  await page.getByRole('dialog', { name: 'Revoke this token?' }).getByRole('button', { name: 'Revoke token' }).click();
  await expect(tokens.getByRole('listitem', { name: 'Token e2e-ci' })).toContainText('Revoked');
  expect((await request.get('/api/auth/me', asToken)).status()).toBe(401);

  // This browser's session is listed and marked.
  await page.getByRole('tab', { name: 'Sessions' }).click();
  await expect(page).toHaveURL(/\/settings\/sessions$/);
  await expect(page.getByRole('list', { name: 'Sessions' })).toContainText('This device');
  await page.screenshot({ path: testInfo.outputPath('sessions.png'), fullPage: true });
});
