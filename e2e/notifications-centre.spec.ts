import { expect, test, type APIRequestContext, type Page } from '@playwright/test';

// The notification centre as the guest on the shared e2e server: the bell follows the SSE stream
// (its fallback poll is 5 minutes, far beyond these timeouts), mark read, and preferences saved.

const bellOf = (page: Page) => page.getByRole('banner').getByRole('link', { name: /^Notifications(, \d+ unread)?$/ });
const countOf = async (page: Page) => Number(/(\d+) unread/.exec((await bellOf(page).getAttribute('aria-label')) ?? '')?.[1] ?? 0);
const bellSays = (n: number) => (n > 0 ? `Notifications, ${n} unread` : 'Notifications');
const defaults = { defaults: { inApp: true, email: 'off', slack: false }, rules: [] };

async function send(request: APIRequestContext, title: string, source = 'e2e') {
  const r = await request.post('/api/notifications', {
    data: { recipients: ['user:default/guest'], source, topic: `${source}.probe`, title, link: '/catalog' },
  });
  expect(r.status()).toBe(201);
}

test.describe('notification centre', () => {
  test.afterAll(async ({ request }) => {
    await request.put('/api/notifications/preferences', { data: defaults });
  });

  test('the bell counts a new notification live; mark read counts it down', async ({ page, request }) => {
    await request.put('/api/notifications/preferences', { data: defaults });
    await page.goto('/notifications?unread=true');
    await expect(page.getByRole('heading', { name: 'Notifications', level: 1 })).toBeVisible();
    await expect(bellOf(page)).toBeVisible();
    // The stream's first event has arrived once the bell's label settles on the server's count.
    const start = (await (await request.get('/api/notifications/unread-count')).json()) as { count: number };
    await expect(page.getByRole('banner').getByRole('link', { name: bellSays(start.count), exact: true })).toBeVisible();

    const title = `Live probe ${Date.now()}`;
    await send(request, title);
    // No reload: the count and the list change through the stream.
    await expect(page.getByRole('banner').getByRole('link', { name: bellSays(start.count + 1), exact: true })).toBeVisible();
    const card = page.getByRole('article', { name: `Unread: ${title}` });
    await expect(card).toBeVisible();

    await card.getByRole('button', { name: `Mark "${title}" read` }).click();
    await expect(page.getByRole('article', { name: `Unread: ${title}` })).toHaveCount(0);
    await expect(page.getByRole('banner').getByRole('link', { name: bellSays(start.count), exact: true })).toBeVisible();
    expect(await countOf(page)).toBe(start.count);
  });

  test('preferences: a rule turning a source off in-app is saved, kept after a reload, and hides that source', async ({ page, request }) => {
    await request.put('/api/notifications/preferences', { data: defaults });
    await page.goto('/notifications');
    await page.getByRole('tab', { name: 'Preferences' }).click();
    await expect(page).toHaveURL(/\/notifications\/preferences$/);
    await expect(page.getByRole('heading', { name: 'By source or topic' })).toBeVisible();
    await expect(page.getByText('No rules yet.')).toBeVisible();

    await page.getByLabel('Source', { exact: true }).fill('e2e-muted');
    await page.getByRole('button', { name: 'Add rule' }).click();
    const rules = page.getByRole('table', { name: 'Notification rules' });
    await expect(rules.getByRole('row', { name: /e2e-muted/ })).toBeVisible();
    await rules.getByRole('switch', { name: 'e2e-muted: in app' }).click({ force: true });
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await expect(page.getByRole('status')).toHaveText('Preferences saved.');

    await page.reload();
    const saved = page.getByRole('table', { name: 'Notification rules' });
    await expect(saved.getByRole('switch', { name: 'e2e-muted: in app' })).not.toBeChecked();
    await expect(saved.getByRole('switch', { name: 'e2e-muted: Slack' })).not.toBeChecked();
    // The guest may not use Slack: the page says so instead of offering the URL field.
    await expect(page.getByText('Sign in to send notifications to Slack')).toBeVisible();

    // A muted source does not reach the bell; another one does.
    const before = ((await (await request.get('/api/notifications/unread-count')).json()) as { count: number }).count;
    await send(request, `Muted ${Date.now()}`, 'e2e-muted');
    await send(request, `Heard ${Date.now()}`, 'e2e');
    await expect(page.getByRole('banner').getByRole('link', { name: bellSays(before + 1), exact: true })).toBeVisible();
    expect(((await (await request.get('/api/notifications/unread-count')).json()) as { count: number }).count).toBe(before + 1);
    await request.post('/api/notifications/read-all', { data: {} });
  });
});
