import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultPlugins } from '../plugins.js';
import { PermissionCatalogue } from './catalogue.js';

const DOC = path.resolve(import.meta.dirname, '../../../../docs/permissions.md');

/**
 * Whether the catalogue table of docs/permissions.md names a permission: written out
 * (`catalog.entity.read`), or shortened after a sibling on the same line
 * (`notifications.notification.read`, `…update`).
 */
function documented(lines: string[], name: string): boolean {
  const dot = name.lastIndexOf('.');
  const prefix = name.slice(0, dot + 1);
  const last = name.slice(dot + 1);
  return lines.some((line) => line.includes(`\`${name}\``) || (line.includes(`\`…${last}\``) && line.includes(`\`${prefix}`)));
}

describe('docs/permissions.md', () => {
  it('lists every permission of the catalogue (host and default plugins)', () => {
    const table = fs
      .readFileSync(DOC, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('| `'));
    const missing = PermissionCatalogue.fromPlugins(defaultPlugins)
      .list()
      .map((e) => e.name)
      .filter((name) => !documented(table, name));
    expect(missing, 'add these to the catalogue table of docs/permissions.md').toEqual([]);
  });
});
