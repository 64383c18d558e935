import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations, registerFile, unregister, writeDescriptor } from './catalog-support';

// A production service owned by the guest that is not yet Silver: the example initiative
// "Production services to Silver" reminds its owner (e2e config: reminders from 3650 days out),
// through the notifications plugin. The guest reads it on /notifications and marks it read.

interface Listed {
  items: Array<{ id: string; title: string; source: string; readAt?: string }>;
}

test.describe('notifications', () => {
  let locationId: string | undefined;

  test.beforeAll(async ({ request }) => {
    const file = writeDescriptor(
      'notifications-e2e',
      `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: notify-probe
spec:
  type: service
  lifecycle: production
  owner: user:default/guest
`,
    );
    locationId = await registerFile(request, file);
  });
  test.afterAll(async ({ request }) => {
    if (locationId) await unregister(request, locationId);
  });

  test('the page lists a scorecards reminder for the guest and marks it read; the bell counts it', async ({ page, request }) => {
    test.setTimeout(120_000);
    const reminder = async () => {
      await request.post('/api/scorecards/evaluate', { data: {} });
      const list = (await (await request.get('/api/notifications?source=scorecards')).json()) as Listed;
      return list.items.find((n) => n.title.startsWith('Production services to Silver'));
    };
    await expect.poll(async () => (await reminder())?.source, { timeout: 60_000, intervals: [1000] }).toBe('scorecards');
    const { title } = (await reminder())!;

    await page.goto('/notifications?unread=true');
    await expect(page.getByRole('heading', { name: 'Notifications', level: 1 })).toBeVisible();
    const bell = page.getByRole('banner').getByRole('link', { name: /^Notifications, \d+ unread$/ });
    await expect(bell).toBeVisible();
    const before = Number(/(\d+) unread/.exec((await bell.getAttribute('aria-label')) ?? '')![1]);
    const card = page.getByRole('article', { name: `Unread: ${title}` });
    await expect(card).toBeVisible();
    await expect(card).toContainText('do not meet "Production services to Silver" yet');
    await expectNoSeriousA11yViolations(page);

    await card.getByRole('button', { name: `Mark "${title}" read` }).click();
    // Read ones leave the unread view, the bell counts one fewer, and the API agrees.
    await expect(page.getByRole('article', { name: `Unread: ${title}` })).toHaveCount(0);
    await expect(
      page.getByRole('banner').getByRole('link', { name: before - 1 > 0 ? `Notifications, ${before - 1} unread` : 'Notifications', exact: true }),
    ).toBeVisible();
    expect((await reminder())?.readAt).toBeTruthy();
    await page.locator('label').filter({ hasText: /^All$/ }).click();
    await expect(page.getByRole('article', { name: title, exact: true })).toBeVisible();
  });
});
