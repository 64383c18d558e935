import AxeBuilder from '@axe-core/playwright';
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

/** Where the catalog UI tests write repositories to register; e2e/app-config.e2e.yaml allows it as a file root. */
export const FIXTURE_ROOT = path.resolve(import.meta.dirname, '../test-results/catalog-e2e');

/** Writes `catalog-info.yaml` into a fresh fixture folder and returns its absolute path. */
export function writeDescriptor(folder: string, yaml: string): string {
  const dir = path.join(FIXTURE_ROOT, folder);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'catalog-info.yaml');
  fs.writeFileSync(file, yaml);
  return file;
}

/** Registers a file location through the API (not the UI) for tests that need extra entities. */
export async function registerFile(request: APIRequestContext, file: string): Promise<string> {
  const response = await request.post('/api/catalog/locations', { data: { type: 'file', target: file } });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { location: { id: string } }).location.id;
}

export async function unregister(request: APIRequestContext, locationId: string): Promise<void> {
  await request.delete(`/api/catalog/locations/${locationId}`);
}

/** axe-core over the page as it is now: no serious or critical WCAG 2 A/AA violations. */
export async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = serious.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join('\n  ')}`,
  );
  expect(summary, summary.join('\n')).toEqual([]);
}

/** Total number of entities matching a filter, asked of the API the page uses. */
export async function countEntities(request: APIRequestContext, filter: string): Promise<number> {
  const response = await request.get(`/api/catalog/entities/by-query?limit=1&filter=${encodeURIComponent(filter)}`);
  return ((await response.json()) as { totalItems: number }).totalItems;
}
