import { expect, test } from '@playwright/test';
import { createHash } from 'node:crypto';
import { expectNoSeriousA11yViolations, registerFile, unregister, writeDescriptor } from './catalog-support';

// One good component and one whose description holds an escaped NUL, which the catalog refuses.
const YAML = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: pe-good }
spec: { type: service, lifecycle: production, owner: platform-team }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: pe-bad
  description: "a\\u0000b"
spec: { type: service, lifecycle: production, owner: platform-team }
`;

/** The Location entity a registered location's read starts from: `generated-<sha1 of type:target>`. */
const generatedLocationPath = (file: string) => `/catalog/default/location/generated-${createHash('sha1').update(`file:${file}`).digest('hex')}`;

test.describe('processing errors', () => {
  let file: string;
  let locationId: string | undefined;
  test.beforeAll(async ({ request }) => {
    file = writeDescriptor('processing-errors', YAML);
    locationId = await registerFile(request, file);
  });
  test.afterAll(async ({ request }) => {
    if (locationId) await unregister(request, locationId);
  });

  test("show on the location's page, with file, field and reason; the good entity is unaffected", async ({ page }) => {
    await page.goto(generatedLocationPath(file));
    const panel = page.getByRole('region', { name: 'Entity processing errors' });
    await expect(panel).toContainText('This location has an error');
    await expect(panel).toContainText(`${file}:10`);
    await expect(panel).toContainText('field metadata.description');
    await expect(panel).toContainText('contains a NUL character');
    await expect(panel).toContainText('entity component:default/pe-bad');
    await expectNoSeriousA11yViolations(page);
    await panel.getByRole('link', { name: 'Locations page' }).click();
    await expect(page).toHaveURL('/catalog/locations');

    await page.goto('/catalog/default/component/pe-good');
    await expect(page.getByRole('heading', { level: 1, name: 'pe-good' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Entity processing errors' })).toHaveCount(0);
  });

  test("show on an entity's page when its newest version is refused", async ({ page, request }) => {
    // pe-bad becomes valid, then its file changes so that the newest version is refused again.
    writeDescriptor('processing-errors', YAML.replace('"a\\u0000b"', 'fine'));
    expect((await request.post('/api/catalog/refresh', { data: { entityRef: 'component:default/pe-good' } })).status()).toBe(200);
    writeDescriptor('processing-errors', YAML);
    expect((await request.post('/api/catalog/refresh', { data: { entityRef: 'component:default/pe-good' } })).status()).toBe(200);
    await page.goto('/catalog/default/component/pe-bad');
    // The last good version stays, with the reason its newest one was refused (the catalog finds
    // nothing wrong with the version shown, so the page does not call that one faulty).
    await expect(page.getByText('fine', { exact: true }).first()).toBeVisible();
    const banner = page.getByRole('alert').filter({ hasText: 'The newest definition was refused' });
    await expect(banner).toContainText('the version shown is the last one it accepted');
    await expect(banner).toContainText('metadata.description contains a NUL character');
  });
});
