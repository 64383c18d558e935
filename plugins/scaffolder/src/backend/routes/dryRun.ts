import { defineRoute, type JsonSchema } from '@atrium/backend-plugin-api';
import type { DryRunRequest } from '../../common/index.js';
import { assertRunnableTemplate, LOCATION_ANNOTATION, ORIGIN_LOCATION_ANNOTATION, templateRefOf, type TemplateLike } from '../templates.js';
import type { ScaffolderRouteServices } from './services.js';
import { assertTemplateStructure, checkedTaskSpec } from './taskSpecs.js';

const dryRunBody: JsonSchema = {
  type: 'object',
  required: ['template'],
  properties: {
    template: { type: 'object', description: 'The Template entity to try (need not be registered)' },
    values: { type: 'object', default: {} },
    secrets: { type: 'object', additionalProperties: { type: 'string' } },
    directoryContents: {
      type: 'array',
      maxItems: 5000,
      description: "The template's files; without them, those of the stored template of the same name",
      items: { type: 'object', required: ['path', 'base64Content'], properties: { path: { type: 'string', minLength: 1 }, base64Content: { type: 'string' } } },
    },
  },
};

/** The template without `backstage.io/managed-by-location` / `managed-by-origin-location`, which only the catalog may set. */
function withoutLocationAnnotations(t: TemplateLike): TemplateLike {
  const annotations = Object.fromEntries(
    Object.entries(t.metadata.annotations ?? {}).filter(([k]) => k !== LOCATION_ANNOTATION && k !== ORIGIN_LOCATION_ANNOTATION),
  );
  return { ...t, metadata: { ...t.metadata, annotations } };
}

/** POST /v2/dry-run: run a template with side effects skipped (the template editor's preview). */
export const dryRun = defineRoute<ScaffolderRouteServices, Record<string, string>, Record<string, unknown>, DryRunRequest>({
  method: 'post',
  path: '/v2/dry-run',
  body: dryRunBody,
  permission: 'scaffolder.template.dry-run',
  summary: 'Run a template with side effects skipped',
  response: { description: '{log, directoryContents, output, steps}', schema: { type: 'object' } },
  handler: async ({ body, caller }, { catalog, registry, runner }) => {
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
    await assertTemplateStructure(template, registry, { readTemplateSource: async () => undefined });
    const spec = checkedTaskSpec(template, body.values, body.secrets ?? {}, registry, caller.userEntityRef);
    if (location) spec.templateInfo.baseUrl = location;
    return runner.dryRun({
      spec,
      secrets: body.secrets ?? {},
      ...(body.directoryContents ? { directoryContents: body.directoryContents } : {}),
      ...(location ? { templateLocation: location } : {}),
    });
  },
});
