import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startAtriumServer } from './atriumServer';

// A durable golden path end to end: a template that waits for a CI callback, an approval and a
// pull request merge (a branch of a local bare repository, "merged" by moving main), on its own
// server (the port after ATRIUM_E2E_PORT's, which Playwright's own server uses; 17431 by default)
// with a temporary folder for the template and the repository.
const PORT = Number(process.env['ATRIUM_E2E_PORT'] ?? 17430) + 1;
const BASE = `http://localhost:${PORT}`;
test.use({ baseURL: BASE });
test.describe.configure({ mode: 'serial' });

let stop: (() => Promise<void>) | undefined;
let work: string;
let bare: string;

const TEMPLATE = `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: { name: durable-golden-path, title: Durable golden path }
spec:
  type: service
  owner: group:default/platform-team
  parameters:
    - title: Change
      required: [pr]
      properties:
        pr: { title: Pull request, type: string }
  steps:
    - id: prepare
      name: Prepare
      action: debug:log
      input: { message: preparing }
    - id: ci
      name: Wait for CI
      action: wait:callback
      input:
        schema: { type: object, required: [buildId], properties: { buildId: { type: string, pattern: '^[0-9]+$' } } }
    - id: approve
      name: Approval
      action: wait:approval
      input: { users: [user:default/guest], allowSelfApproval: true }
    - id: merged
      name: Wait for the merge
      action: wait:pull-request
      input: { url: '\${{ parameters.pr }}', pollInterval: 0.5, maxPollInterval: 1 }
    - id: finish
      name: Finish
      action: debug:log
      input: { message: 'build \${{ steps.ci.output.body.buildId }} merged' }
`;

test.beforeAll(async () => {
  test.setTimeout(150_000);
  work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-e2e-durable-')));
  bare = path.join(work, 'app.git');
  const clone = path.join(work, 'clone');
  execFileSync('git', ['init', '--bare', '--quiet', bare]);
  execFileSync('git', ['init', '--quiet', '-b', 'main', clone]);
  const git = (...args: string[]) => execFileSync('git', ['-C', clone, '-c', 'user.name=e2e', '-c', 'user.email=e2e@example.com', ...args]);
  git('commit', '--quiet', '--allow-empty', '-m', 'base');
  git('push', '--quiet', bare, 'main');
  git('checkout', '--quiet', '-b', 'feature');
  git('commit', '--quiet', '--allow-empty', '-m', 'change');
  git('push', '--quiet', bare, 'feature');
  fs.writeFileSync(path.join(work, 'template.yaml'), TEMPLATE);
  const extra = path.join(work, 'durable-e2e.yaml');
  fs.writeFileSync(
    extra,
    [
      'catalog:',
      '  processingPollMs: 200',
      `  readers: { fileRoots: [${work}] }`,
      `  locations: [{ type: file, target: ${path.join(work, 'template.yaml')} }]`,
      'scaffolder:',
      '  pollMs: 100',
      '  waitPollSeconds: 1',
      `  publish: { fileRoots: [${work}] }`,
      '',
    ].join('\n'),
  );
  stop = await startAtriumServer({
    name: 'the durable scaffolder test server',
    configs: ['e2e/app-config.e2e.yaml', extra],
    baseUrl: BASE,
    env: { ATRIUM_E2E_PORT: String(PORT) },
  });
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(`${BASE}/api/scaffolder/v2/templates/default/template/durable-golden-path/parameter-schema`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the durable template was not loaded');
});

test.afterAll(async () => {
  await stop?.();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('a run waits for a CI callback, an approval and a merged pull request, then completes', async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto('/create/templates/default/durable-golden-path');
  await expect(page.getByRole('heading', { name: 'Durable golden path' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Pull request' }).fill(`file://${bare}?head=feature&base=main`);
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(page).toHaveURL(/\/create\/tasks\/[0-9a-f-]{36}$/);
  const taskId = page.url().split('/').pop()!;

  // 1. The callback: the creator is shown the one-time URL; a body failing the step's schema is refused.
  const panel = page.getByTestId('wait-panel');
  await expect(panel).toContainText('Waiting on a callback', { timeout: 20_000 });
  const steps = page.getByRole('list', { name: 'Steps' });
  await expect(steps.locator('[data-status="waiting"]')).toContainText('Wait for CI');
  const url = (await panel.locator('code').textContent())!.trim();
  expect(url).toContain(`/api/scaffolder/v2/tasks/${taskId}/steps/ci/callback?token=`);
  const callbackPath = url.slice(url.indexOf('/api/'));
  expect((await page.request.post(callbackPath, { data: { buildId: 'abc' } })).status()).toBe(400);
  expect((await page.request.post(callbackPath, { data: { buildId: '1234' } })).status()).toBe(202);
  expect((await page.request.post(callbackPath, { data: { buildId: '1234' } })).status()).toBe(401);

  // 2. The approval: it is listed under "Waiting for me", and approved from the task page.
  await expect(panel).toContainText('Waiting on approval by user:default/guest', { timeout: 20_000 });
  await page.goto('/create/tasks?show=waiting');
  await expect(page.getByRole('table', { name: 'Runs' })).toContainText('Durable golden path');
  await page.getByRole('link', { name: 'Durable golden path' }).first().click();
  await expect(page).toHaveURL(new RegExp(`/create/tasks/${taskId}$`));
  await page.getByRole('button', { name: 'Approve', exact: true }).click();

  // 3. The pull request: polled while open; merged by moving main to the branch.
  await expect(panel).toContainText('Waiting on the pull request', { timeout: 20_000 });
  await expect(panel).toContainText('last seen open', { timeout: 20_000 });
  execFileSync('git', ['--git-dir', bare, 'update-ref', 'refs/heads/main', 'refs/heads/feature']);

  await expect(page.getByTestId('task-log')).toContainText('Run completed', { timeout: 30_000 });
  await expect(page.getByTestId('task-log')).toContainText('build 1234 merged');
  await expect(steps.locator('[data-status="completed"]')).toHaveCount(5);
  await expect(page.getByTestId('task-summary')).toContainText('Completed');
});
