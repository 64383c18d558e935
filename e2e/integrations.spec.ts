import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startFakeGitHubApi, type FakeGitHubApi } from '../packages/test-utils/src/fakes/githubApi';
import { startAtriumServer } from './atriumServer';

// Connecting a GitHub organisation from the Integrations page: add a token integration against a
// local fake of GitHub's REST API, test the connection, and see the repositories it found. Runs
// on its own server (the port after ATRIUM_E2E_PORT's) that may reach 127.0.0.1 (the fake).
const PORT = Number(process.env['ATRIUM_E2E_PORT'] ?? 17345) + 1;
const BASE = `http://localhost:${PORT}`;
test.use({ baseURL: BASE });
test.describe.configure({ mode: 'serial' });

const TOKEN = 'ghp_e2etoken000000000000000000000000000000';
let gh: FakeGitHubApi;
let stop: (() => Promise<void>) | undefined;
let work: string;

test.beforeAll(async () => {
  test.setTimeout(150_000);
  gh = await startFakeGitHubApi();
  gh.addToken(TOKEN, { login: 'e2e-bot', scopes: ['repo', 'read:org'] });
  gh.addRepo({
    owner: 'acme-e2e',
    name: 'payments-api',
    files: {
      'catalog-info.yaml':
        'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: payments-api\nspec:\n  type: service\n  lifecycle: production\n  owner: group:default/payments\n',
    },
  });
  gh.addRepo({ owner: 'acme-e2e', name: 'broken-repo', files: { 'catalog-info.yaml': 'kind: [oops' } });
  gh.addRepo({ owner: 'acme-e2e', name: 'no-descriptor' });
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-e2e-integrations-'));
  const config = path.join(work, 'integrations-e2e.yaml');
  fs.writeFileSync(
    config,
    [
      'backend:',
      `  baseUrl: ${BASE}`,
      `  listen: { port: ${PORT} }`,
      `  dataDir: ${path.join(work, 'data')}`,
      "  database: { client: pglite, connection: ':memory:' }",
      '  reading: { allowPrivateNetworks: true }',
      'integrations:',
      `  encryptionKey: ${'e'.repeat(40)}`,
      '',
    ].join('\n'),
  );
  stop = await startAtriumServer({ name: 'the integrations test server', configs: [config], baseUrl: BASE });
});

test.afterAll(async () => {
  await stop?.();
  await gh?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('add a GitHub token integration, test it, and see the repositories it found', async ({ page }) => {
  await page.goto('/integrations');
  await expect(page.getByRole('heading', { name: 'Integrations', level: 1 })).toBeVisible();
  await expect(page.getByText('No integrations yet')).toBeVisible();

  await page.getByRole('button', { name: 'Add integration' }).click();
  const form = page.getByRole('form', { name: 'Add an integration' });
  await form.getByLabel(/^Name/).fill('acme');
  await form.getByLabel('API URL').fill(gh.url);
  await form.getByLabel(/^Token/).fill(TOKEN);
  await form.getByLabel('Organisation').fill('acme-e2e');
  await form.getByRole('button', { name: 'Add', exact: true }).click();

  await expect(page.getByRole('heading', { name: 'acme' })).toBeVisible();
  // The token is stored, never shown.
  await expect(page.getByText(TOKEN)).toHaveCount(0);
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByText('Connected as e2e-bot')).toBeVisible();

  const found = page.getByRole('list', { name: 'Repositories found' });
  await expect(found.getByRole('link', { name: 'acme-e2e/payments-api' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText('3 repositories scanned')).toBeVisible();
  await expect(page.getByText(/acme-e2e\/broken-repo/).first()).toBeVisible();
  await expect(page.getByText(/invalid YAML/)).toBeVisible();

  // The discovered component is in the catalog.
  const entity = await page.request.get('/api/catalog/entities/by-name/component/default/payments-api');
  expect(entity.status()).toBe(200);
});
