import type { BackendPlugin, PermissionDefinition } from '@atrium/backend-plugin-api';
import { StartupError } from '../host/StartupError.js';
import { hostPermissions } from './hostPermissions.js';

/** One catalogue entry: a declared permission and who declared it. */
export interface CatalogueEntry extends PermissionDefinition {
  /** The plugin id, or `host` for the host's own endpoints. */
  readonly declaredBy: string;
}

/** Every permission the host and the installed plugins check, by name. */
export class PermissionCatalogue {
  private readonly byName = new Map<string, CatalogueEntry>();

  constructor(entries: readonly CatalogueEntry[]) {
    for (const entry of entries) this.byName.set(entry.name, entry);
  }

  /** From the plugins' `permissions` lists; a name declared twice stops the start, naming both declarers. */
  static fromPlugins(plugins: readonly BackendPlugin[]): PermissionCatalogue {
    const entries = new Map<string, CatalogueEntry>();
    const add = (declaredBy: string, list: readonly PermissionDefinition[] | undefined) => {
      for (const p of list ?? []) {
        const existing = entries.get(p.name);
        if (existing) throw new StartupError(`The permission ${p.name} is declared twice: by ${existing.declaredBy} and by ${declaredBy}`);
        entries.set(p.name, Object.freeze({ ...p, declaredBy }));
      }
    };
    add('host', hostPermissions);
    for (const plugin of plugins) add(plugin.id, plugin.permissions);
    return new PermissionCatalogue([...entries.values()]);
  }

  get(name: string): CatalogueEntry | undefined {
    return this.byName.get(name);
  }

  /** Sorted by name. */
  list(): CatalogueEntry[] {
    return [...this.byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The declared names a rule pattern covers: a name, `<prefix>.*` (anything under it) or `*`. */
  matching(pattern: string): string[] {
    return this.list()
      .map((e) => e.name)
      .filter((name) => patternMatches(pattern, name));
  }
}

/** Whether a rule's permission pattern covers a permission name. */
export function patternMatches(pattern: string, name: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}
