import { expect, test } from '@playwright/test';

test.describe('API definitions', () => {
  test('renders OpenAPI as a browsable reference with operations and schemas', async ({ page }) => {
    await page.goto('/catalog/default/api/orders-api/definition');
    await expect(page.getByRole('heading', { name: 'Acme Orders API' })).toBeVisible();
    const operations = page.getByRole('region', { name: 'Operations: orders' });
    await expect(operations.getByRole('button', { name: /GET \/orders\/\{orderId\}/ })).toBeVisible();
    await operations.getByRole('button', { name: /GET \/orders\/\{orderId\}/ }).click();
    await expect(page.getByRole('table', { name: 'Parameters of GET /orders/{orderId}' })).toContainText('orderId');
    await expect(page.getByText('Responses').first()).toBeVisible();
    // Try-it is off until the user turns it on.
    await expect(page.getByRole('button', { name: 'Send request' })).toHaveCount(0);
    await page.getByRole('switch', { name: /Try it out/ }).check();
    await expect(page.getByRole('button', { name: 'Send request' })).toBeVisible();

    await page.getByRole('textbox', { name: 'Filter operations' }).fill('cancel');
    await expect(operations.getByRole('button', { name: /cancel/ })).toBeVisible();
    await expect(operations.getByRole('button', { name: /^GET \/orders / })).toHaveCount(0);

    const schemas = page.getByRole('region', { name: 'Schemas' });
    await schemas.getByRole('button', { name: /^Order object/ }).click();
    await expect(schemas.getByText('status', { exact: true }).filter({ visible: true }).first()).toBeVisible();
  });

  test('renders AsyncAPI operations with their messages', async ({ page }) => {
    await page.goto('/catalog/default/api/order-events/definition');
    await expect(page.getByRole('heading', { name: 'Order Events', level: 2 })).toBeVisible();
    const operations = page.getByRole('region', { name: 'Operations' });
    await operations.getByRole('button').first().click();
    await expect(operations.getByText(/^Payload/).first()).toBeVisible();
    await expect(page.getByRole('table', { name: 'Servers' })).toContainText('kafka');
  });

  test('explores a GraphQL schema type by type', async ({ page }) => {
    await page.goto('/catalog/default/api/storefront-graphql/definition');
    const types = page.getByRole('navigation', { name: 'GraphQL types' });
    await expect(types.getByRole('button', { name: /Query/ })).toHaveAttribute('aria-current', 'true');
    await expect(page.getByRole('table', { name: 'Fields of Query' })).toBeVisible();
    await page.getByRole('button', { name: 'Open type Order' }).first().click();
    await expect(page).toHaveURL(/type=Order$/);
    await expect(page.getByRole('table', { name: 'Fields of Order' })).toBeVisible();
    await types.getByRole('textbox', { name: 'Find a type' }).fill('Mutation');
    await types.getByRole('button', { name: /Mutation/ }).click();
    await expect(page.getByRole('table', { name: 'Fields of Mutation' })).toBeVisible();
    await page.getByText('Raw', { exact: true }).click();
    await expect(page.getByLabel('API definition')).toContainText('type Query');
  });

  test('shows other definition types as text', async ({ page, request }) => {
    const grpc = (await (await request.get('/api/catalog/entities/by-query?limit=1&filter=kind=api,spec.type=grpc')).json()) as {
      items: Array<{ metadata: { name: string; namespace?: string } }>;
    };
    test.skip(grpc.items.length === 0, 'the example catalog has no gRPC API');
    const api = grpc.items[0]!;
    await page.goto(`/catalog/${api.metadata.namespace ?? 'default'}/api/${api.metadata.name}/definition`);
    await expect(page.getByText(/shown as text; Atrium has no renderer/)).toBeVisible();
    await expect(page.getByLabel('API definition')).toContainText('syntax');
  });
});
