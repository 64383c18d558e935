import { expect, test, type Page } from '@playwright/test';
import { registerFile, unregister, writeDescriptor } from './catalog-support';
import { DESKTOP, PHONE } from './layout-checks';

let locationId: string | undefined;

test.beforeAll(async ({ request }) => {
  // A component whose dependency is not in the catalog, to see how unresolved targets are drawn.
  const file = writeDescriptor(
    'graph',
    `apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: e2e-graph-probe, title: Graph probe }
spec:
  type: service
  lifecycle: experimental
  owner: platform-team
  dependsOn: [component:default/e2e-missing-library, component:default/orders-service]
`,
  );
  locationId = await registerFile(request, file);
});

test.afterAll(async ({ request }) => {
  if (locationId) await unregister(request, locationId);
});

test.describe('dependency graph', () => {
  test('draws the relations around an entity, with unresolved targets marked', async ({ page }) => {
    await page.goto('/catalog/default/component/e2e-graph-probe/relations');
    const graph = page.getByRole('figure', { name: /Relation graph of e2e-graph-probe/ });
    await expect(graph).toBeVisible();
    await expect(graph.getByRole('link', { name: 'Graph probe' })).toBeVisible();
    await expect(graph.getByText('e2e-missing-library')).toBeVisible();
    await expect(graph.getByText('not in catalog')).toBeVisible();
    await expect(graph.getByRole('link', { name: 'e2e-missing-library' })).toHaveCount(0);
    // The probe, its two dependencies and its owner; two dependsOn and one ownedBy.
    await expect(graph).toHaveAttribute('aria-label', /4 entities, 3 relations/);
    await expect(page.getByText('Related entities not found in the catalog: component:default/e2e-missing-library')).toBeVisible();
  });

  test('goes deeper, filters relation types, and navigates on click', async ({ page }) => {
    await page.goto('/catalog/default/component/e2e-graph-probe/relations');
    const graph = page.getByRole('figure', { name: /Relation graph/ });
    await expect(graph).toHaveAttribute('aria-label', /4 entities/);

    await page.getByText('2 hops').click();
    await expect(graph).not.toHaveAttribute('aria-label', /4 entities/);
    const deeper = Number((await graph.getAttribute('aria-label'))?.match(/(\d+) entities/)?.[1]);
    expect(deeper).toBeGreaterThan(4);

    await page.getByText('1 hop').click();
    const dependencies = page.getByRole('checkbox', { name: 'Dependencies' });
    await expect(dependencies).toBeChecked();
    await page.getByText('Dependencies', { exact: true }).click();
    await expect(dependencies).not.toBeChecked();
    await expect(graph).toHaveAttribute('aria-label', /2 entities, 1 relations/);
    await page.getByText('Dependencies', { exact: true }).click();
    await expect(graph).toHaveAttribute('aria-label', /4 entities, 3 relations/);

    await page.getByText('Relations as a list (3)').click();
    await expect(page.getByRole('table', { name: 'Relations in the graph' }).getByRole('row')).toHaveCount(4);

    await graph.getByText('Orders service').click();
    await expect(page).toHaveURL('/catalog/default/component/orders-service');
  });

  test('shows a system diagram with its domain and parts', async ({ page, request }) => {
    const system = (await (await request.get('/api/catalog/entities/by-name/system/default/storefront')).json()) as {
      relations: Array<{ type: string; targetRef: string }>;
    };
    const parts = system.relations.filter((r) => r.type === 'hasPart').length;
    const domains = system.relations.filter((r) => r.type === 'partOf').length;
    await page.goto('/catalog/default/system/storefront');
    await page.getByRole('tab', { name: 'System diagram' }).click();
    const diagram = page.getByRole('figure', { name: /System diagram of storefront/ });
    await expect(diagram).toBeVisible();
    await expect(diagram.locator('.react-flow__node')).toHaveCount(1 + parts + domains);
    await expect(diagram.getByText('Domain', { exact: true })).toBeVisible();
  });
});

/** Where the graph's nodes are, relative to its canvas, and how large their titles are on screen. */
async function graphGeometry(page: Page) {
  return page.locator('.react-flow').evaluate((flow) => {
    const canvas = flow.getBoundingClientRect();
    const viewport = flow.querySelector<HTMLElement>('.react-flow__viewport')!;
    const scale = new DOMMatrix(getComputedStyle(viewport).transform).a;
    const nodes = [...flow.querySelectorAll<HTMLElement>('.react-flow__node')].map((node) => {
      const r = node.getBoundingClientRect();
      return { left: r.left - canvas.left, top: r.top - canvas.top, right: r.right - canvas.left, bottom: r.bottom - canvas.top };
    });
    const title = flow.querySelector<HTMLElement>('.react-flow__node a, .react-flow__node [data-node-title]');
    const titlePx = title ? parseFloat(getComputedStyle(title).fontSize) * scale : 0;
    return { width: canvas.width, height: canvas.height, nodes, titlePx };
  });
}

for (const size of [DESKTOP, PHONE]) {
  test.describe(`relations graph at ${size.width}px`, () => {
    test.use({ viewport: size });

    test('fits every node into view after the depth changes, with readable titles on a laptop', async ({ page }) => {
      await page.goto('/catalog/default/component/orders-service/relations');
      const graph = page.getByRole('figure', { name: /Relation graph of orders-service/ });
      await expect(graph).toBeVisible();
      for (const depth of ['4 hops', '2 hops', '4 hops']) {
        const before = await graph.getAttribute('aria-label');
        await page.getByText(depth, { exact: true }).click();
        await expect(graph).not.toHaveAttribute('aria-label', before!);
        const count = Number((await graph.getAttribute('aria-label'))!.match(/(\d+) entities/)![1]);
        await expect(graph.locator('.react-flow__node')).toHaveCount(count);
        // The view settles after the layout and the fit; then every node is inside the canvas.
        await expect
          .poll(async () => {
            const g = await graphGeometry(page);
            return g.nodes.filter((n) => n.left < -1 || n.top < -1 || n.right > g.width + 1 || n.bottom > g.height + 1).length;
          })
          .toBe(0);
        const geometry = await graphGeometry(page);
        // Titles stay readable on a laptop; a phone shows the whole graph and zooms in on demand.
        if (size.width >= 1024) expect(geometry.titlePx).toBeGreaterThanOrEqual(10);
      }
    });
  });
}
