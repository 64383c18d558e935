import { InputError, validateInput, type AuthService, type PermissionsService } from '@atrium/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef, type Entity } from '@atrium/catalog-model';
import type { CatalogService } from '@atrium/plugin-catalog/common';
import type { Router } from 'express';
import type { DryRunRequest, EntityActionsResponse, JsonObject } from '../../common/index.js';
import type { ActionRegistry } from '../actions/registry.js';
import type { TaskRunner } from '../runner.js';
import type { TaskStore } from '../tasks/taskStore.js';
import { templateFilters } from '../templating/filters.js';
import { assertRunnableTemplate, LOCATION_ANNOTATION, ORIGIN_LOCATION_ANNOTATION, loadTemplate, parameterSchema, templateRefOf, withSourceFieldOrder, type TemplateLike } from '../templates.js';
import { checkedTaskSpec } from './taskSpecs.js';

export interface TemplateRouteDeps {
  registry: ActionRegistry;
  catalog: CatalogService;
  runner: TaskRunner;
  store: TaskStore;
  auth: AuthService;
  permissions: PermissionsService;
}

const dryRunBody = {
  type: 'object',
  required: ['template'],
  properties: {
    template: { type: 'object' },
    values: { type: 'object', default: {} },
    secrets: { type: 'object', additionalProperties: { type: 'string' } },
    directoryContents: {
      type: 'array',
      maxItems: 5000,
      items: { type: 'object', required: ['path', 'base64Content'], properties: { path: { type: 'string', minLength: 1 }, base64Content: { type: 'string' } } },
    },
  },
};

/** Case-insensitive match of a Backstage-style entity filter (`{ kind: Component, 'spec.type': [service, website] }`). */
export function matchesEntityFilter(entity: Entity, filter: JsonObject | JsonObject[]): boolean {
  const sets = Array.isArray(filter) ? filter : [filter];
  return sets.some((set) =>
    Object.entries(set).every(([key, expected]) => {
      let value: unknown = entity;
      for (const part of key.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
      const actual = (Array.isArray(value) ? value : [value]).filter((v) => v !== undefined).map((v) => String(v).toLowerCase());
      if (expected === true) return actual.length > 0;
      const wanted = (Array.isArray(expected) ? expected : [expected]).map((v) => String(v).toLowerCase());
      return actual.some((a) => wanted.includes(a));
    }),
  );
}

/** The form field a day-2 template pre-fills with the entity: `spec.entityParameter`, else the first EntityPicker, else `entity`. */
export function entityParameterOf(t: TemplateLike): string {
  if (typeof t.spec['entityParameter'] === 'string') return t.spec['entityParameter'];
  const pages = Array.isArray(t.spec.parameters) ? t.spec.parameters : t.spec.parameters ? [t.spec.parameters] : [];
  for (const page of pages) {
    for (const [name, prop] of Object.entries((page['properties'] ?? {}) as Record<string, JsonObject>)) {
      if (prop?.['ui:field'] === 'EntityPicker') return name;
    }
  }
  return 'entity';
}

/** The template without `backstage.io/managed-by-location` / `managed-by-origin-location`, which only the catalog may set. */
function withoutLocationAnnotations(t: TemplateLike): TemplateLike {
  const annotations = Object.fromEntries(Object.entries(t.metadata.annotations ?? {}).filter(([k]) => k !== LOCATION_ANNOTATION && k !== ORIGIN_LOCATION_ANNOTATION));
  return { ...t, metadata: { ...t.metadata, annotations } };
}

export function registerTemplateRoutes(router: Router, deps: TemplateRouteDeps): void {
  const { registry, catalog, runner, auth, permissions } = deps;

  router.get('/v2/actions', (_req, res) => {
    res.json(registry.list());
  });

  router.get('/v2/templating-extensions', (_req, res) => {
    res.json({
      filters: Object.fromEntries(Object.keys(templateFilters).map((k) => [k, {}])),
      globals: { functions: { range: {} }, values: {} },
    });
  });

  router.get('/v2/templates/:namespace/:kind/:name/parameter-schema', async (req, res) => {
    const { namespace, kind, name } = req.params as { namespace: string; kind: string; name: string };
    if (kind.toLowerCase() !== 'template') throw new InputError(`Kind must be template, got ${kind}`);
    const template = await loadTemplate(catalog, stringifyEntityRef({ kind, namespace, name }));
    res.json(parameterSchema(await withSourceFieldOrder(template, (location) => runner.readTemplateSource(location))));
  });

  router.post('/v2/dry-run', async (req, res) => {
    const caller = await auth.getCaller(req);
    await permissions.assert(caller, { permission: 'scaffolder.template.dry-run' });
    const body = validateInput<DryRunRequest>(dryRunBody, req.body ?? {}, 'body');
    const sent = assertRunnableTemplate({ metadata: { name: 'dry-run' }, ...body.template });
    // Where a template's files are is never the caller's to say: the location annotations of
    // the body are dropped. Files come from `directoryContents`, or else from where the catalog
    // read the stored template this one edits (same namespace and name).
    const template = withoutLocationAnnotations(sent);
    let location: string | undefined;
    if (!body.directoryContents?.length) {
      const stored = await catalog.getEntityByRef(templateRefOf(template)).catch(() => undefined);
      if (stored?.kind.toLowerCase() === 'template') location = stored.metadata.annotations?.[LOCATION_ANNOTATION];
    }
    const spec = checkedTaskSpec(template, body.values, body.secrets ?? {}, registry, caller.userEntityRef);
    if (location) spec.templateInfo.baseUrl = location;
    const result = await runner.dryRun({
      spec,
      secrets: body.secrets ?? {},
      ...(body.directoryContents ? { directoryContents: body.directoryContents } : {}),
      ...(location ? { templateLocation: location } : {}),
    });
    res.json(result);
  });

  router.get('/v2/entity-actions', async (req, res) => {
    const raw = req.query['entityRef'];
    if (typeof raw !== 'string' || !raw) throw new InputError('Invalid request query: query.entityRef is required');
    let ref: string;
    try {
      ref = stringifyEntityRef(parseEntityRef(raw));
    } catch (e) {
      throw new InputError(`Invalid request query: query.entityRef ${(e as Error).message}`);
    }
    const entity = await catalog.getEntityByRef(ref);
    if (!entity) {
      res.json({ items: [] } satisfies EntityActionsResponse);
      return;
    }
    const { items } = await catalog.getEntities({ filter: { kind: 'template' } });
    const out: EntityActionsResponse['items'] = [];
    for (const t of items as unknown as TemplateLike[]) {
      const filter = t.spec?.entityFilter;
      if (!filter || !matchesEntityFilter(entity, filter)) continue;
      out.push({
        templateRef: templateRefOf(t),
        title: t.metadata.title ?? t.metadata.name,
        ...(t.metadata.description ? { description: t.metadata.description } : {}),
        parameter: entityParameterOf(t),
      });
    }
    res.json({ items: out } satisfies EntityActionsResponse);
  });
}
