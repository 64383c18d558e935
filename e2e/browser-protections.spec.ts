import { expect, test, type Page } from '@playwright/test';

/** Collects Content-Security-Policy violations and console errors the page reports. */
async function watch(page: Page): Promise<string[]> {
  const problems: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy/.test(m.text())) problems.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
  return problems;
}

test('the app runs under its Content-Security-Policy: no violation on the main pages, the template form validates', async ({ page }) => {
  const problems = await watch(page);
  const response = await page.goto('/');
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self';");
  expect(csp).not.toMatch(/script-src[^;]*unsafe/);
  expect(csp).toContain("frame-ancestors 'none'");
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome to Atrium' })).toBeVisible();

  for (const [path, heading] of [
    ['/catalog', 'Catalog'],
    ['/catalog/default/component/orders-service', /orders/i],
    ['/catalog/default/api/fleet-api/definition', /fleet/i],
    ['/docs', 'Docs'],
    ['/scorecards', 'Scorecards'],
    ['/system', 'System'],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1, name: heading }).first()).toBeVisible();
  }

  // The template form validates JSON Schema live in the browser, without eval.
  await page.goto('/create/templates/default/node-service');
  const name = page.getByRole('textbox', { name: /^Name/ });
  await name.fill('Bad Name!!');
  await name.blur();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText(/Name is not in the expected format|must match pattern/).first()).toBeVisible();

  await page.getByRole('button', { name: 'Switch to dark mode' }).click();
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await page.getByRole('button', { name: 'Switch to light mode' }).click();

  expect(problems.filter((p) => /CSP|Content Security Policy|EvalError|unsafe-eval/.test(p))).toEqual([]);
});

test('the app cannot be framed by another page', async ({ page }) => {
  const response = await page.request.get('/');
  expect(response.headers()['x-frame-options']).toBe('DENY');
  expect(response.headers()['x-content-type-options']).toBe('nosniff');
});

test('a cross-site bodyless POST is refused, the app’s own JSON POST works', async ({ page, baseURL }) => {
  const crossSite = await page.request.post('/api/scorecards/evaluate', { headers: { origin: 'https://evil.example' } });
  expect([403, 415]).toContain(crossSite.status());
  const formPost = await page.request.post('/api/scorecards/evaluate', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, data: 'a=1' });
  expect(formPost.status()).toBe(415);
  const own = await page.request.post('/api/catalog/refresh', {
    headers: { origin: new URL(baseURL!).origin },
    data: { entityRef: 'component:default/orders-service' },
  });
  expect(own.status()).toBe(200);
});
