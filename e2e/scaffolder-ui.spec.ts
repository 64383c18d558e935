import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';

// The scaffolder's pages as a user meets them: form errors, a run's output and status, pages
// that do not exist, phone-sized screens and the Launch button on a Template's catalog page.
// Its own server (the e2e config plus a folder it may read a fixture template from).
const PORT = Number(process.env['ATRIUM_E2E_PORT'] ?? 17345) + 22;
const BASE = `http://localhost:${PORT}`;
let server: ChildProcess | undefined;
let work: string;
const tasks: { probe?: string; awaiting?: string } = {};

/** A template whose output has Markdown, a safe link, and every kind of unsafe link and HTML. */
const PROBE_TEMPLATE = `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: output-probe
  title: Output probe
  description: Writes Markdown output with safe and unsafe links.
spec:
  owner: group:default/platform-team
  type: demo
  parameters:
    - title: Values
      required: [name]
      properties:
        name:
          title: Short name
          type: string
          pattern: '^[a-z]+$'
      errorMessage:
        properties:
          name: Only lowercase letters, please.
  steps:
    - id: log
      name: Say hello
      action: debug:log
      input: { message: 'Hello \${{ parameters.name }}' }
  output:
    links:
      - title: Safe docs
        url: https://example.com/docs
      - title: Evil script link
        url: javascript:window.__pwned='link'
      - title: Evil data link
        url: data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==
    text:
      - title: Next steps
        content: |
          ## Done, \${{ parameters.name }}

          Clone it with \`git clone x\` and run **npm start**.

          - [Docs](https://example.com/docs)
          - [Catalog](/catalog)
          - [Click me](javascript:window.__pwned='md')
          - [Data](data:text/html,<script>window.__pwned='data'</script>)

          <img src=x onerror="window.__pwned='img'"><script>window.__pwned='script'</script>
`;

async function post(pathname: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${BASE}${pathname}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: BASE }, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${pathname}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-e2e-scaffolder-ui-')));
  fs.writeFileSync(path.join(work, 'template.yaml'), PROBE_TEMPLATE);
  const extra = path.join(work, 'scaffolder-ui-e2e.yaml');
  fs.writeFileSync(extra, `catalog:\n  processingPollMs: 200\n  readers:\n    fileRoots: [${work}]\nscaffolder:\n  pollMs: 100\n`);
  server = spawn(process.execPath, ['packages/cli/bin/atrium.js', 'start', '--config', 'e2e/app-config.e2e.yaml', '--config', extra], {
    env: { ...process.env, ATRIUM_E2E_PORT: String(PORT) },
    stdio: 'ignore',
  });
  const ready = async (url: string) => {
    for (let i = 0; i < 600; i++) {
      if (
        await fetch(url).then(
          (r) => r.ok,
          () => false,
        )
      )
        return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`the scaffolder UI e2e server never answered ${url}`);
  };
  await ready(`${BASE}/api/scaffolder/v2/templates/default/template/node-service/parameter-schema`);
  await post('/api/catalog/locations', { type: 'file', target: path.join(work, 'template.yaml') });
  await ready(`${BASE}/api/scaffolder/v2/templates/default/template/output-probe/parameter-schema`);
  tasks.probe = String((await post('/api/scaffolder/v2/tasks', { templateRef: 'template:default/output-probe', values: { name: 'demo' } }))['id']);
  tasks.awaiting = String(
    (
      await post('/api/scaffolder/v2/tasks', {
        templateRef: 'template:default/restart-service',
        values: { entity: 'component:default/orders-service', reason: 'stuck' },
      })
    )['id'],
  );
});

test.afterAll(async () => {
  if (server?.pid) {
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  }
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

/**
 * Serves the app's pages under a CSP without 'unsafe-eval' (what the server is meant to send),
 * whatever the server sends, and records violations: the form must work without eval.
 */
async function strictCsp(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    (window as unknown as { __csp: string[] }).__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  await page.route(
    (url) => url.origin === BASE && !url.pathname.startsWith('/api/'),
    async (route) => {
      if (route.request().resourceType() !== 'document') return route.continue();
      const response = await route.fetch();
      const headers = {
        ...response.headers(),
        'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'",
      };
      return route.fulfill({ response, headers });
    },
  );
  return () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
}

test('the form shows each problem once, in words, and works without eval', async ({ page }) => {
  const violations = await strictCsp(page);
  await page.goto(`${BASE}/create/templates/default/node-service`);
  await expect(page.getByRole('heading', { name: 'Node.js service' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Name' }).fill('Bad Name!');
  await page.getByRole('button', { name: 'Next', exact: true }).click();

  const errors = page.getByTestId('field-error');
  await expect(errors).toHaveText([
    'Name is not in the expected format. Use lowercase letters and digits, joined by single dashes (not at the start or end).',
    'Owner is required.',
  ]);
  const body = await page.locator('main').innerText();
  expect(body).not.toMatch(/must match|must have required|\^\[a-z/);
  // The inputs say what is wrong with them to assistive technology.
  await expect(page.getByRole('textbox', { name: 'Name' })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('textbox', { name: 'Name' })).toHaveAccessibleDescription(/not in the expected format/);

  // Fixing the value clears its message; the step stays until the owner is picked.
  await page.getByRole('textbox', { name: 'Name' }).fill('good-name');
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await expect(errors).toHaveText(['Owner is required.']);
  expect(await violations()).toEqual([]);
});

test("a template's own errorMessage is shown instead of the generic one", async ({ page }) => {
  await strictCsp(page);
  await page.goto(`${BASE}/create/templates/default/output-probe`);
  await page.getByRole('textbox', { name: 'Short name' }).fill('NOT OK');
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await expect(page.getByTestId('field-error')).toHaveText(['Only lowercase letters, please.']);
});

test('output text is Markdown; script and data links and raw HTML stay inert', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`${BASE}/create/tasks/${tasks.probe}`);
  const output = page.getByTestId('task-output');
  await expect(output.getByRole('heading', { name: 'Done, demo' })).toBeVisible({ timeout: 30_000 });
  await expect(output.locator('code', { hasText: 'git clone x' })).toBeVisible();
  await expect(output.locator('strong', { hasText: 'npm start' })).toBeVisible();
  await expect(output.getByRole('link', { name: 'Docs', exact: true })).toHaveAttribute('href', 'https://example.com/docs');
  await expect(output.getByRole('link', { name: 'Catalog', exact: true })).toHaveAttribute('href', '/catalog');
  await expect(output.getByRole('link', { name: 'Safe docs' })).toHaveAttribute('href', 'https://example.com/docs');

  const hrefs = await output.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
  expect(hrefs.filter((h) => !/^(https?:|\/)/.test(h))).toEqual([]);
  await expect(output.getByRole('link', { name: /Evil|Click me|Data/ })).toHaveCount(0);
  await expect(output.getByText('Evil script link')).toBeVisible();
  await expect(output.locator('img, script, iframe, object')).toHaveCount(0);
  await expect(output).toContainText('<img src=x onerror=');

  await output.getByText('Evil script link').click();
  await output.getByText('[Click me]').click();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
});

test('statuses read as words, not API enums', async ({ page }) => {
  await page.goto(`${BASE}/create/tasks/${tasks.awaiting}`);
  await expect(page.getByTestId('task-summary')).toContainText('Awaiting approval');
  await expect(page.getByRole('list', { name: 'Steps' })).toContainText('Waiting');
  await page.goto(`${BASE}/create/tasks`);
  await page.locator('label').filter({ hasText: /^All$/ }).click();
  await expect(page.getByRole('table', { name: 'Runs' })).toContainText('Awaiting approval');
  await expect(page.getByRole('table', { name: 'Runs' })).toContainText('Completed');
  const text = await page.locator('main').evaluate((m) => m.textContent ?? '');
  expect(text).not.toMatch(/awaiting-approval/i);
});

for (const [what, url, heading, action] of [
  ['run', '/create/tasks/no-such-task', 'Run not found', 'All runs'],
  ['template', '/create/templates/default/no-such-template', 'Template not found', 'Browse templates'],
  ['page', '/create/no/such/page', 'Page not found', 'Browse templates'],
] as const) {
  test(`a missing ${what} gets a friendly not-found page`, async ({ page }) => {
    await page.goto(`${BASE}${url}`);
    await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
    await expect(page.getByRole('link', { name: action })).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Try again' })).toHaveCount(0);
    await expect(page.locator('main')).not.toContainText('/api/');
    await expect(page).toHaveTitle(`${heading} · Atrium`);
  });
}

test('page titles name each page once', async ({ page }) => {
  const pages: Array<[string, string]> = [
    ['/create', 'Create something new · Atrium'],
    ['/create/templates/default/node-service', 'Create: Node.js service · Atrium'],
    ['/create/tasks', 'Template runs · Atrium'],
    [`/create/tasks/${tasks.probe}`, 'Run of Output probe · Atrium'],
    ['/create/edit', 'Template editor · Atrium'],
  ];
  for (const [url, title] of pages) {
    await page.goto(`${BASE}${url}`);
    await expect(page).toHaveTitle(title);
    const parts = (await page.title()).split(' · ');
    expect(new Set(parts).size, await page.title()).toBe(parts.length);
  }
});

for (const width of [1440, 390]) {
  test(`every scaffolder page fits a ${width} px screen`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    const urls = [
      '/create',
      '/create/templates/default/node-service',
      '/create/tasks',
      `/create/tasks/${tasks.probe}`,
      `/create/tasks/${tasks.awaiting}`,
      '/create/edit',
      '/create/notifications',
    ];
    for (const url of urls) {
      await page.goto(`${BASE}${url}`);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await page.waitForLoadState('networkidle');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${url} is wider than the screen`).toBeLessThanOrEqual(0);
    }

    await page.goto(`${BASE}/create/tasks`);
    await page.locator('label').filter({ hasText: /^All$/ }).click();
    if (width < 768) {
      // Phones get one card per run: nothing side by side that could overlap.
      await expect(page.getByRole('table')).toHaveCount(0);
      const cards = page.getByRole('list', { name: 'Runs' }).getByRole('listitem');
      await expect(cards).toHaveCount(2);
      for (const card of await cards.all()) {
        const box = (await card.boundingBox())!;
        for (const child of await card.locator('a, .mantine-Badge-root').all()) {
          const c = (await child.boundingBox())!;
          expect(c.x + c.width).toBeLessThanOrEqual(box.x + box.width + 0.5);
        }
      }
    } else {
      await expect(page.getByRole('table', { name: 'Runs' }).getByRole('row')).toHaveCount(3);
    }
  });
}

test("a Template's catalog page launches its form", async ({ page }) => {
  await page.goto(`${BASE}/catalog/default/template/node-service`);
  await page.getByRole('link', { name: 'Launch' }).click();
  await expect(page).toHaveURL(`${BASE}/create/templates/default/node-service`);
  await expect(page.getByRole('heading', { name: 'Node.js service', level: 1 })).toBeVisible();
  // Only Template pages get it.
  await page.goto(`${BASE}/catalog/default/component/orders-service`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Launch' })).toHaveCount(0);
});
