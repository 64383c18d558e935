import type { SearchCollator, SearchDocument } from '@atrium/backend-plugin-api';
import { DEFAULT_NAMESPACE, type Entity } from '@atrium/catalog-model';
import type { CatalogService } from '@atrium/plugin-catalog/backend';

const PAGE = 500;

/** The search document of a Template entity: opens the template's form at `/create/templates/<ns>/<name>`. */
export function templateToSearchDocument(e: Entity): SearchDocument {
  const ns = e.metadata.namespace ?? DEFAULT_NAMESPACE;
  const ref = `template:${ns}/${e.metadata.name}`.toLowerCase();
  const spec = (e.spec ?? {}) as Record<string, unknown>;
  // Parameter titles say what the template asks for ("Repository location", "Owner").
  const steps = Array.isArray(spec.parameters) ? spec.parameters : spec.parameters ? [spec.parameters] : [];
  const paramTitles = steps
    .map((p) => (p && typeof p === 'object' ? (p as { title?: unknown }).title : undefined))
    .filter((t): t is string => typeof t === 'string');
  const doc: SearchDocument = {
    key: ref,
    title: typeof e.metadata.title === 'string' && e.metadata.title ? e.metadata.title : e.metadata.name,
    text: [e.metadata.description ?? '', typeof spec.type === 'string' ? spec.type : '', ...paramTitles].filter(Boolean).join(' · '),
    location: `/create/templates/${encodeURIComponent(ns)}/${encodeURIComponent(e.metadata.name)}`,
    entityRef: ref,
    kind: 'Template',
    namespace: ns,
    name: e.metadata.name,
    tags: (e.metadata.tags ?? []).filter((t): t is string => typeof t === 'string'),
    keywords: [ref],
  };
  if (typeof spec.owner === 'string' && spec.owner) doc.owner = spec.owner;
  return doc;
}

/**
 * The `templates` search documents (software templates, from the catalog's Template entities),
 * kept fresh from the catalog's entity changes. The search plugin registers it when the catalog
 * is installed.
 */
export function createTemplateSearchCollator(catalog: CatalogService): SearchCollator {
  return {
    type: 'templates',
    title: 'Templates',
    version: '1',
    async *collate(signal) {
      let page = await catalog.queryEntities({ filter: { kind: 'template' }, limit: PAGE, totalItems: 'exclude' });
      for (;;) {
        if (signal.aborted) return;
        if (page.items.length > 0) yield page.items.map(templateToSearchDocument);
        const cursor = page.pageInfo.nextCursor;
        if (!cursor) return;
        page = await catalog.queryEntities({ cursor, limit: PAGE });
      }
    },
    subscribe(sink) {
      return catalog.onEntityChange(async (change) => {
        const ref = change.entityRef.toLowerCase();
        if (!ref.startsWith('template:')) return;
        if (change.type === 'removed') return sink.remove([ref]);
        const entity = await catalog.getEntityByRef(ref);
        if (entity) await sink.upsert([templateToSearchDocument(entity)]);
        else await sink.remove([ref]);
      });
    },
  };
}
