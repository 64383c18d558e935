import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations, registerFile, unregister, writeDescriptor } from './catalog-support';

// Two Automation entities from a descriptor file: one that notifies the guest when a component
// named automation-probe appears, and one whose condition is not valid CEL. Registering the
// component runs the first; the page lists both, shows the run, pauses/resumes and dry-runs.

interface Listed {
  items: Array<{ id: string; enabled: boolean; errors: string[] }>;
}
interface Detail {
  runs: Array<{ status: string; deliveries?: Array<{ status: string }> }>;
}

test.describe('automations', () => {
  const locations: string[] = [];

  test.beforeAll(async ({ request }) => {
    const automations = writeDescriptor(
      'automations-e2e',
      `apiVersion: atrium.dev/v1alpha1
kind: Automation
metadata:
  name: e2e-notify-guest
  title: Tell the guest about the probe
spec:
  trigger: { type: entity.created }
  condition: entity.metadata.name == "automation-probe"
  actions:
    - type: notify
      recipients: [user:default/guest]
      title: "New component {{ entity.metadata.name }}"
---
apiVersion: atrium.dev/v1alpha1
kind: Automation
metadata:
  name: e2e-broken
spec:
  trigger: { type: entity.created }
  condition: 'entity.kind =='
  actions:
    - { type: notify, recipients: [user:default/guest], title: never }
`,
    );
    locations.push(await registerFile(request, automations));
    await expect
      .poll(
        async () => ((await (await request.get('/api/automations/automations')).json()) as Listed).items.find((a) => a.id === 'e2e-notify-guest')?.enabled,
        { timeout: 20_000 },
      )
      .toBe(true);
    const probe = writeDescriptor(
      'automations-e2e-probe',
      `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: automation-probe
spec: { type: service, lifecycle: experimental, owner: user:default/guest }
`,
    );
    locations.push(await registerFile(request, probe));
  });
  test.afterAll(async ({ request }) => {
    for (const id of locations) await unregister(request, id);
  });

  test('lists the automations with their state', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('link', { name: 'Automations' }).first()).toBeVisible(); // the sidebar entry
    await page.goto('/automations');
    await expect(page.getByRole('heading', { name: 'Automations', level: 1 })).toBeVisible();
    await expect(page.getByText('Not enabled: errors').first()).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await page.getByRole('link', { name: 'Tell the guest about the probe' }).click();
    await expect(page.getByRole('heading', { name: 'Tell the guest about the probe', level: 1 })).toBeVisible();
  });

  test('shows a run with its delivery, pauses, resumes and dry-runs', async ({ page, request }) => {
    await expect
      .poll(async () => ((await (await request.get('/api/automations/automations/e2e-notify-guest')).json()) as Detail).runs[0]?.status, { timeout: 20_000 })
      .toBe('succeeded');
    await page.goto('/automations/e2e-notify-guest');
    await expect(page.getByRole('heading', { name: 'Tell the guest about the probe', level: 1 })).toBeVisible();
    const run = page.getByRole('article', { name: /Run for entity.created component:default\/automation-probe/ });
    await expect(run).toBeVisible();
    await expect(run.getByRole('table', { name: 'Deliveries' })).toContainText('notify');
    await expect(run.getByRole('table', { name: 'Deliveries' })).toContainText('succeeded');

    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByRole('button', { name: 'Resume' })).toBeVisible();
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();

    const event = page.getByLabel(/Event \(type/);
    await event.fill(JSON.stringify({ type: 'entity.created', entityRef: 'component:default/automation-probe' }));
    await page.getByRole('button', { name: 'Dry run' }).click();
    await expect(page.getByText('It would run')).toBeVisible();
    await expect(page.getByText(/New component automation-probe/)).toBeVisible();
  });

  test('a definition error is shown; an unknown automation is a not-found page', async ({ page }) => {
    await page.goto('/automations/e2e-broken');
    await expect(page.getByText('This automation is not enabled: its definition has errors')).toBeVisible();
    await expect(page.getByText(/Unexpected token/)).toBeVisible();
    // An unknown one is a not-found page with a way back.
    await page.goto('/automations/no-such-automation');
    await expect(page.getByRole('link', { name: 'All automations' })).toBeVisible();
  });
});
