import { expect, test, type APIRequestContext } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { expectNoSeriousA11yViolations, FIXTURE_ROOT } from './catalog-support';
import { DESKTOP, expectNoOverlappingCells, expectNoSidewaysScrolling, PHONE } from './layout-checks';

// A docs site the tests own: written under the e2e file root and registered through the API.
const SITE_DIR = path.join(FIXTURE_ROOT, 'techdocs-e2e-handbook');
const FILES: Record<string, string> = {
  'catalog-info.yaml': `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: e2e-handbook
  title: E2E handbook component
  annotations:
    backstage.io/techdocs-ref: dir:.
spec:
  type: service
  lifecycle: production
  owner: docs-team
`,
  'mkdocs.yml': `site_name: E2E Handbook
nav:
  - Home: index.md
  - Guides:
      - Setup: guides/setup.md
      - Operations: guides/operations.md
  - Upstream: https://example.com/upstream
`,
  'docs/index.md': `# Handbook home

Start with [setup](guides/setup.md), or jump to [rolling back](guides/operations.md#rolling-back).

!!! tip "Good to know"
    Admonitions render as call-outs.

=== "Python"

    Python instructions.

=== "Go"

    Go instructions.

## Contents

What this handbook covers.
`,
  'docs/guides/setup.md': `# Setup

## Install

\`\`\`ts
const answer: number = 42;
\`\`\`

## Configure

- [x] Install
- [ ] Configure
`,
  'docs/guides/operations.md': `# Operations

## Monitoring

Dashboards and alerts.

## Rolling back

Run the zeppelin pipeline to restore the previous release.

\`\`\`mermaid
graph LR
  Build --> Deploy
\`\`\`
`,
};

async function registerSite(request: APIRequestContext): Promise<void> {
  fs.rmSync(SITE_DIR, { recursive: true, force: true });
  for (const [file, content] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(SITE_DIR, file)), { recursive: true });
    fs.writeFileSync(path.join(SITE_DIR, file), content);
  }
  const response = await request.post('/api/catalog/locations', { data: { type: 'file', target: path.join(SITE_DIR, 'catalog-info.yaml') } });
  expect([201, 409], await response.text()).toContain(response.status());
  await expect
    .poll(
      async () => ((await (await request.get('/api/techdocs/entities/default/component/e2e-handbook')).json()) as { build?: { status: string } }).build?.status,
      {
        timeout: 60_000,
      },
    )
    .toBe('ready');
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ playwright }, testInfo) => {
  const request = await playwright.request.newContext({ baseURL: testInfo.project.use.baseURL! });
  await registerSite(request);
  await request.dispose();
});

test('the docs home lists documented entities and filters them by title and owner', async ({ page }) => {
  await page.goto('/docs');
  const table = page.getByRole('table', { name: 'Documented entities' });
  await expect(table.getByRole('link', { name: 'E2E Handbook' })).toBeVisible();
  await expect(table.getByRole('link', { name: 'Orders service' })).toBeVisible();

  await page.getByLabel('Search by title').fill('handbook');
  await expect(table.getByRole('link', { name: 'Orders service' })).toHaveCount(0);
  await expect(table.getByRole('link', { name: 'E2E Handbook' })).toBeVisible();
  await page.getByLabel('Search by title').fill('');

  await page.getByRole('combobox', { name: 'Owner' }).click();
  await page.getByRole('option', { name: /^docs-team/ }).click();
  await expect(table.getByRole('link', { name: 'E2E Handbook' })).toBeVisible();
  await expect(table.getByRole('link', { name: 'Orders service' })).toHaveCount(0);
  await expect(page).toHaveURL(/owner=group%3Adefault%2Fdocs-team/);
});

test('reading a site: nav, table of contents, in-site links, tabs and previous/next', async ({ page }) => {
  await page.goto('/docs');
  await page.getByRole('link', { name: 'E2E Handbook' }).click();
  await expect(page).toHaveURL(/\/docs\/default\/component\/e2e-handbook\/$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Handbook home' })).toBeVisible();
  await expect(page.getByTestId('docs-site-name')).toHaveText('E2E Handbook');
  const toc = page.getByRole('navigation', { name: 'On this page' });
  await expect(toc.getByRole('link', { name: 'Contents' })).toBeVisible();
  await expect(page.locator('.admonition-tip .admonition-title')).toHaveText('Good to know');

  // Content tabs switch in place.
  await expect(page.getByText('Python instructions.')).toBeVisible();
  await page.getByRole('tab', { name: 'Go' }).click();
  await expect(page.getByText('Go instructions.')).toBeVisible();
  await expect(page.getByText('Python instructions.')).toBeHidden();

  // The nav: a section and its pages.
  const nav = page.getByRole('navigation', { name: 'Pages' });
  await nav.getByRole('link', { name: 'Setup' }).click();
  await expect(page).toHaveURL(/\/e2e-handbook\/guides\/setup\/$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Setup' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Setup' })).toHaveAttribute('aria-current', 'page');
  await expect(page.locator('.atrium-docs-content pre.shiki')).toBeVisible();
  await expect(page.locator('.atrium-docs-content input[type=checkbox][checked]')).toHaveCount(1);

  // Previous / next follow the nav order.
  await page.getByRole('link', { name: 'Next: Operations' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Operations' })).toBeVisible();
  await page.getByRole('link', { name: 'Previous: Setup' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Setup' })).toBeVisible();

  // An in-page link to another page's heading stays in the reader and lands on the heading.
  await nav.getByRole('link', { name: 'Home' }).click();
  await page.locator('.atrium-docs-content').getByRole('link', { name: 'rolling back' }).click();
  await expect(page).toHaveURL(/\/guides\/operations\/#rolling-back$/);
  await expect(page.getByRole('heading', { level: 2, name: 'Rolling back' })).toBeInViewport();

  // Mermaid is loaded on demand and draws the diagram.
  await expect(page.locator('pre.mermaid svg')).toBeVisible({ timeout: 20_000 });
  await expectNoSeriousA11yViolations(page);
});

test('searching within a site finds the section and opens it', async ({ page }) => {
  await page.goto('/docs/default/component/e2e-handbook/guides/setup/');
  await page.getByRole('textbox', { name: 'Search these docs' }).fill('zeppelin');
  const results = page.getByRole('region', { name: 'Search results' });
  const hit = results.getByRole('link', { name: /Operations › Rolling back/ });
  await expect(hit).toBeVisible();
  await expect(hit.locator('mark')).toHaveText(/zeppelin/i);
  await hit.click();
  await expect(page).toHaveURL(/\/guides\/operations\/#rolling-back$/);
  await expect(page.getByRole('heading', { level: 2, name: 'Rolling back' })).toBeInViewport();
});

test('the build status and log are visible, and a rebuild can be asked for', async ({ page }) => {
  await page.goto('/docs/default/component/e2e-handbook/');
  await expect(page.getByText('Ready', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Build log' }).click();
  const log = page.getByRole('dialog', { name: /Build log/ });
  await expect(log.getByText(/Built 3 page\(s\)/)).toBeVisible();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Rebuild' }).click();
  await expect(page.getByText('Ready', { exact: true })).toBeVisible({ timeout: 30_000 });
});

test('the entity page has a Docs tab with the same reader', async ({ page }) => {
  await page.goto('/catalog/default/component/e2e-handbook');
  await page.getByRole('tab', { name: 'Docs' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Handbook home' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Operations' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Operations' })).toBeVisible();
  await expect(page).toHaveURL(/\/catalog\/default\/component\/e2e-handbook\/docs/);
});

test('an unknown page and an entity without docs get helpful empty states', async ({ page }) => {
  await page.goto('/docs/default/component/e2e-handbook/no/such/page/');
  await expect(page.getByText('Page not found')).toBeVisible();
  await page.getByRole('link', { name: 'Go to the home page' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Handbook home' })).toBeVisible();
  await page.goto('/docs/default/component/does-not-exist/');
  await expect(page.getByText('No docs for this entity')).toBeVisible();
});

test('the tab title names the docs page and its site once each', async ({ page }) => {
  await page.goto('/docs/default/component/orders-service');
  await expect(page.getByRole('heading', { level: 1, name: 'Orders service' })).toBeVisible();
  await expect(page).toHaveTitle('Orders service · Atrium');
  await page.goto('/catalog/default/component/orders-service/docs');
  await expect(page.getByRole('heading', { level: 1, name: 'Orders service' }).first()).toBeVisible();
  await expect(page).toHaveTitle('Orders service · Atrium');
  // Leaving the docs tab gives the entity page its title back.
  await page.getByRole('tab', { name: 'Overview' }).click();
  await expect(page.getByRole('region', { name: 'About' })).toBeVisible();
  await expect(page).toHaveTitle('Orders service · Atrium');
});

for (const size of [DESKTOP, PHONE]) {
  test.describe(`docs at ${size.width}px`, () => {
    test.use({ viewport: size });

    test('the docs home and a docs page fit the window', async ({ page }) => {
      await page.goto('/docs');
      await expect(page.getByRole('link', { name: 'Orders service' }).first()).toBeVisible();
      await expectNoSidewaysScrolling(page);
      await expectNoOverlappingCells(page);
      if (size.width < 600) await expect(page.getByRole('list', { name: 'Documented entities' }).getByText('Ready').first()).toBeVisible();
      await page.goto('/docs/default/component/orders-service');
      await expect(page.getByRole('heading', { level: 1, name: 'Orders service' })).toBeVisible();
      await expectNoSidewaysScrolling(page);
    });
  });
}
