import { expect, test } from '@playwright/test';

test('the audit log page lists a change with its request id, filters it, refuses a bad range and exports CSV', async ({ page, request }) => {
  const requestId = `e2e-audit-${Date.now().toString(36)}`;
  const res = await request.post('/api/notifications/read-all', { data: {}, headers: { 'x-request-id': requestId } });
  expect(res.status()).toBe(200);

  await page.goto('/audit');
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await expect(nav.getByRole('link', { name: 'Audit log' })).toHaveAttribute('aria-current', 'page');
  await expect(nav.getByRole('link', { name: 'System' })).not.toHaveAttribute('aria-current', 'page');

  await page.getByRole('textbox', { name: 'Action (prefix)' }).fill('notifications');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  const records = page.getByRole('table', { name: 'Audit records' });
  await expect(records).toContainText(requestId);
  await expect(records).toContainText('notifications.read-all');

  const csv = page.getByRole('link', { name: 'Export CSV' });
  await expect(csv).toHaveAttribute('href', '/api/system/audit/events.csv?action=notifications');
  const download = await request.get((await csv.getAttribute('href'))!);
  expect(download.headers()['content-type']).toMatch(/^text\/csv/);
  expect(await download.text()).toContain(requestId);

  await page.getByRole('textbox', { name: 'From', exact: true }).fill('2026-02-01T00:00');
  await page.getByRole('textbox', { name: 'To', exact: true }).fill('2026-01-01T00:00');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page.getByRole('alert')).toHaveText('The start of the time range must be before its end');

  await page.getByRole('button', { name: 'Clear' }).click();
  await page.getByRole('textbox', { name: 'Action (prefix)' }).fill('no.such.action');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page.getByText('No audit records')).toBeVisible();
});
