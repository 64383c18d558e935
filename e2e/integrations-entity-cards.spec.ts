import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startFakeGitHubApi, type FakeGitHubApi } from '../packages/test-utils/src/fakes/githubApi';
import { startAtriumServer } from './atriumServer';

// The Source control card on an entity page: CI runs, open pull requests and the last commit of
// the repository its github.com/project-slug names, read from a local fake of GitHub's REST API;
// the one-line "not connected" note for a host no integration covers; and one part failing beside
// the others. Own server (ATRIUM_E2E_PORT+7).
const PORT = Number(process.env['ATRIUM_E2E_PORT'] ?? 17345) + 7;
const BASE = `http://localhost:${PORT}`;
test.use({ baseURL: BASE });
test.describe.configure({ mode: 'serial' });

const TOKEN = 'ghp_e2ecardstoken00000000000000000000000000';
let gh: FakeGitHubApi;
let stop: (() => Promise<void>) | undefined;
let work: string;

const component = (name: string, annotations: Record<string, string>) =>
  JSON.stringify({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'group:default/payments' },
  });

test.beforeAll(async () => {
  test.setTimeout(150_000);
  gh = await startFakeGitHubApi();
  gh.addToken(TOKEN, { login: 'e2e-bot', scopes: ['repo', 'read:org'] });
  gh.addRepo({ owner: 'acme-e2e', name: 'payments-api' });
  gh.commit('acme-e2e', 'payments-api', { message: 'Retry card captures on gateway timeouts', author: 'ann' });
  gh.addWorkflowRun('acme-e2e', 'payments-api', { workflow: 'CI', conclusion: 'success', actor: 'ann' });
  gh.addWorkflowRun('acme-e2e', 'payments-api', { workflow: 'Release', conclusion: 'failure', branch: 'release/2.4', actor: 'bob' });
  gh.addWorkflowRun('acme-e2e', 'payments-api', { workflow: 'CI', status: 'in_progress', branch: 'feature/refunds', actor: 'carol' });
  gh.openPullRequest('acme-e2e', 'payments-api', { title: 'Refunds: partial amounts', author: 'carol', head: 'feature/refunds' });
  gh.openPullRequest('acme-e2e', 'payments-api', { title: 'Upgrade the HTTP client', author: 'dependabot', draft: true });
  gh.addRepo({ owner: 'acme-e2e', name: 'quiet' });
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-e2e-entity-cards-'));
  fs.writeFileSync(
    path.join(work, 'catalog.yaml'),
    [
      component('payments-api', { 'github.com/project-slug': 'acme-e2e/payments-api' }),
      component('quiet', { 'github.com/project-slug': 'acme-e2e/quiet' }),
      component('on-premises', { 'gitlab.com/project-slug': 'acme/ledger', 'gitlab.com/instance': 'gitlab.example.com' }),
    ].join('\n---\n'),
  );
  const config = path.join(work, 'entity-cards-e2e.yaml');
  fs.writeFileSync(
    config,
    [
      'backend:',
      `  baseUrl: ${BASE}`,
      `  listen: { port: ${PORT} }`,
      `  dataDir: ${path.join(work, 'data')}`,
      "  database: { client: pglite, connection: ':memory:' }",
      'catalog:',
      `  readers: { fileRoots: [${JSON.stringify(work)}] }`,
      `  locations: [{ type: file, target: ${JSON.stringify(path.join(work, 'catalog.yaml'))} }]`,
      'integrations:',
      `  encryptionKey: ${'e'.repeat(40)}`,
      `  github: [{ host: github.com, apiBaseUrl: ${JSON.stringify(gh.url)}, token: ${TOKEN} }]`,
      '',
    ].join('\n'),
  );
  stop = await startAtriumServer({ name: 'the entity cards test server', configs: [config], baseUrl: BASE });
});

test.afterAll(async () => {
  await stop?.();
  await gh?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('the Source control card shows CI runs, open pull requests and the last commit', async ({ page }) => {
  await expect
    .poll(async () => (await page.request.get('/api/catalog/entities/by-name/component/default/payments-api')).status(), { timeout: 30_000 })
    .toBe(200);
  await page.goto('/catalog/default/component/payments-api');
  const card = page.getByRole('region', { name: 'Source control' });
  await expect(card.getByRole('link', { name: 'acme-e2e/payments-api' })).toBeVisible({ timeout: 20_000 });
  const runs = card.getByRole('listitem').filter({ has: page.getByRole('link', { name: /^(CI|Release)$/ }) });
  await expect(runs).toHaveCount(3);
  await expect(runs.nth(0)).toContainText('Running');
  await expect(runs.nth(0)).toContainText('feature/refunds');
  await expect(runs.nth(1)).toContainText('Failed');
  await expect(runs.nth(1)).toContainText('release/2.4');
  await expect(runs.nth(2)).toContainText('Passed');
  await expect(card.getByRole('link', { name: 'Refunds: partial amounts' })).toBeVisible();
  await expect(card.getByText('Draft')).toBeVisible();
  await expect(card.getByText('Retry card captures on gateway timeouts')).toBeVisible();
  await card.screenshot({ path: 'test-results/e2e/entity-scm-card.png' });

  // A refresh asks GitHub again: the new pull request shows.
  gh.openPullRequest('acme-e2e', 'payments-api', { title: 'Idempotency keys', author: 'ann' });
  await card.getByRole('button', { name: 'Refresh source control' }).click();
  await expect(card.getByRole('link', { name: 'Idempotency keys' })).toBeVisible();
});

test('an empty repository says there are no CI runs yet; a host without an integration says which one is missing', async ({ page }) => {
  await page.goto('/catalog/default/component/quiet');
  const quiet = page.getByRole('region', { name: 'Source control' });
  await expect(quiet.getByText(/No CI runs yet/)).toBeVisible({ timeout: 20_000 });
  await expect(quiet.getByText('No open pull requests.')).toBeVisible();

  // Without a policy the guest may add integrations: one line with the link (the full reason on hover).
  await page.goto('/catalog/default/component/on-premises');
  const missing = page.getByRole('region', { name: 'Source control' });
  await expect(missing).toHaveText('Source control: not connected to GitLab (gitlab.example.com)Connect', { timeout: 20_000 });
  await expect(missing.getByTitle(/^No GitLab integration for host gitlab\.example\.com/)).toBeVisible();
  await expect(missing.getByRole('link', { name: 'Connect' })).toHaveAttribute('href', '/integrations');
  // The whole line shows: nothing cut off.
  expect(await missing.locator('p').evaluate((p) => p.scrollWidth <= p.clientWidth)).toBe(true);
  expect((await missing.boundingBox())?.height).toBeLessThan(60);
  await missing.screenshot({ path: 'test-results/e2e/entity-scm-card-not-configured.png' });
});

test('one part failing leaves the others: pull requests answer 502, the runs and the last commit still show', async ({ page }) => {
  await page.goto('/catalog/default/component/payments-api');
  const card = page.getByRole('region', { name: 'Source control' });
  await expect(card.getByRole('link', { name: 'acme-e2e/payments-api' })).toBeVisible({ timeout: 20_000 });
  gh.failServerNext({ operation: '/repos/{owner}/{repo}/pulls', status: 502 });
  await card.getByRole('button', { name: 'Refresh source control' }).click();
  await expect(card.getByTestId('scm-part-error')).toHaveText(
    'Could not read the open pull requests: GitHub (github.com) answered 502 for acme-e2e/payments-api (Server Error)',
  );
  await expect(card.getByRole('link', { name: 'Refunds: partial amounts' })).toHaveCount(0);
  await expect(card.getByRole('listitem').filter({ has: page.getByRole('link', { name: /^(CI|Release)$/ }) })).toHaveCount(3);
  await expect(card.getByText('Retry card captures on gateway timeouts')).toBeVisible();
  await card.screenshot({ path: 'test-results/e2e/entity-scm-card-partial.png' });
  // The partial answer was not kept: the next read has every part again.
  await card.getByRole('button', { name: 'Refresh source control' }).click();
  await expect(card.getByRole('link', { name: 'Refunds: partial amounts' })).toBeVisible();
  await expect(card.getByTestId('scm-part-error')).toHaveCount(0);
});
