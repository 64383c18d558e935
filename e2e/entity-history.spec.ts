import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations, registerFile, unregister, writeDescriptor } from './catalog-support';

const descriptor = (description: string) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: history-e2e
  description: ${description}
spec:
  type: service
  lifecycle: experimental
  owner: team-a
`;

test.describe('entity history', () => {
  test('the History tab shows the creation and an update with the changed field, before and after', async ({ page, request }) => {
    const file = writeDescriptor('entity-history', descriptor('Before the change'));
    const locationId = await registerFile(request, file);
    try {
      await page.goto('/catalog/default/component/history-e2e/history');
      const tabs = page.getByRole('tablist', { name: 'Entity sections' });
      await expect(tabs.getByRole('tab', { name: 'History' })).toHaveAttribute('aria-selected', 'true');
      const history = page.getByRole('list', { name: 'Entity history' });
      await expect(history.getByTestId('history-entry')).toHaveCount(1);
      await expect(history.getByTestId('history-entry').first()).toContainText('Created');
      await expect(history.getByTestId('history-entry').first()).toContainText('catalog-info.yaml');

      writeDescriptor('entity-history', descriptor('After the change'));
      expect((await request.post('/api/catalog/refresh', { data: { entityRef: 'component:default/history-e2e' } })).status()).toBeLessThan(300);
      await page.reload();
      const latest = history.getByTestId('history-entry').first();
      await expect(latest).toContainText('Updated');
      const changes = latest.getByRole('table', { name: 'Changed fields' });
      const row = changes.getByRole('row').filter({ hasText: 'metadata.description' });
      await expect(row).toContainText('Before the change');
      await expect(row).toContainText('After the change');
      await expect(history.getByTestId('history-entry')).toHaveCount(2);
      await expectNoSeriousA11yViolations(page);
    } finally {
      await unregister(request, locationId);
    }
  });

  test('an entity page with no readable history shows the error state from the server', async ({ page }) => {
    await page.route('**/api/catalog/entities/by-name/component/default/orders-service/history**', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: { name: 'ServiceUnavailableError', message: 'the event log is not available' }, response: { statusCode: 503 } }),
      }),
    );
    await page.goto('/catalog/default/component/orders-service/history');
    await expect(page.getByText('Could not load the history')).toBeVisible();
    await expect(page.getByText('the event log is not available')).toBeVisible();
  });
});
