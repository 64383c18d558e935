import { dump as dumpYaml } from 'js-yaml';
import { parseEntityRef, stringifyEntityRef } from '@atrium/catalog-model';
import { writeWorkspaceFile } from '../workspace.js';
import { createTemplateAction, type AnyTemplateAction } from './types.js';

interface RegisterInput {
  catalogInfoUrl?: string;
  repoContentsUrl?: string;
  catalogInfoPath?: string;
  optional?: boolean;
}

/** The catalog location type for a target: git targets carry `#<ref>:`, URLs are http(s), the rest are files. */
export function locationTypeOf(target: string): 'git' | 'url' | 'file' {
  if (/#[^#:]+:/.test(target)) return 'git';
  if (/^https?:\/\//i.test(target)) return 'url';
  return 'file';
}

interface EntityLike {
  kind: string;
  metadata: { name: string; namespace?: string };
}

function pickEntityRef(entities: EntityLike[]): string | undefined {
  const notGenerated = entities.filter((e) => !e.metadata.name.startsWith('generated-'));
  const chosen = notGenerated.find((e) => e.kind === 'Component') ?? notGenerated[0] ?? entities[0];
  return chosen ? stringifyEntityRef({ kind: chosen.kind, namespace: chosen.metadata.namespace ?? 'default', name: chosen.metadata.name }) : undefined;
}

export const catalogRegisterAction = createTemplateAction<RegisterInput>({
  id: 'catalog:register',
  description: 'Registers a catalog-info file (by URL, or a repository plus a path) as a catalog location.',
  schema: {
    input: {
      oneOf: [
        { type: 'object', required: ['catalogInfoUrl'], properties: { catalogInfoUrl: { type: 'string', minLength: 1 }, optional: { type: 'boolean' } } },
        {
          type: 'object',
          required: ['repoContentsUrl'],
          properties: { repoContentsUrl: { type: 'string', minLength: 1 }, catalogInfoPath: { type: 'string' }, optional: { type: 'boolean' } },
        },
      ],
    },
    output: { type: 'object', properties: { entityRef: { type: 'string' }, catalogInfoUrl: { type: 'string' } } },
  },
  async handler(ctx) {
    const { input } = ctx;
    const target = input.catalogInfoUrl ?? `${input.repoContentsUrl}${input.catalogInfoPath ?? '/catalog-info.yaml'}`;
    const type = locationTypeOf(target);
    ctx.logger.info(`Registering ${type}:${target} in the catalog`);
    const post = (dryRun: boolean) =>
      ctx.backendFetch(`/api/catalog/locations${dryRun ? '?dryRun=true' : ''}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type, target }),
      });
    let res = await post(false);
    if (res.status === 409) {
      ctx.logger.info('The location is already registered; reading its entities');
      res = await post(true);
    }
    const body = (await res.json().catch(() => ({}))) as { entities?: EntityLike[]; error?: { message?: string } };
    if (!res.ok) {
      const message = `catalog:register failed (${res.status}): ${body.error?.message ?? 'unknown error'}`;
      if (input.optional) {
        ctx.logger.warn(message);
        return;
      }
      throw new Error(message);
    }
    ctx.output('catalogInfoUrl', target);
    const ref = pickEntityRef(body.entities ?? []);
    if (ref) ctx.output('entityRef', ref);
    ctx.logger.info(ref ? `Registered ${ref}` : 'Registered the location');
  },
});

export const catalogWriteAction = createTemplateAction<{ filePath?: string; entity: Record<string, unknown> }>({
  id: 'catalog:write',
  description: 'Writes an entity as YAML into the workspace (catalog-info.yaml by default).',
  supportsDryRun: true,
  schema: {
    input: { type: 'object', required: ['entity'], properties: { filePath: { type: 'string', minLength: 1 }, entity: { type: 'object' } } },
  },
  async handler(ctx) {
    const entity = structuredClone(ctx.input.entity) as { metadata?: { annotations?: Record<string, string> } };
    entity.metadata ??= {};
    entity.metadata.annotations = { ...(entity.metadata.annotations ?? {}), 'backstage.io/source-template': ctx.templateInfo.entityRef };
    const filePath = ctx.input.filePath ?? 'catalog-info.yaml';
    await writeWorkspaceFile(ctx.workspacePath, filePath, dumpYaml(entity));
    ctx.logger.info(`Wrote ${filePath}`);
  },
});

interface FetchInput {
  entityRef?: string;
  entityRefs?: string[];
  optional?: boolean;
  defaultKind?: string;
  defaultNamespace?: string;
}

export const catalogFetchAction = createTemplateAction<FetchInput>({
  id: 'catalog:fetch',
  description: 'Reads entities from the catalog into the step output (entity / entities).',
  supportsDryRun: true,
  schema: {
    input: {
      type: 'object',
      properties: {
        entityRef: { type: 'string', minLength: 1 },
        entityRefs: { type: 'array', items: { type: 'string', minLength: 1 } },
        optional: { type: 'boolean' },
        defaultKind: { type: 'string' },
        defaultNamespace: { type: 'string' },
      },
      anyOf: [{ required: ['entityRef'] }, { required: ['entityRefs'] }],
    },
    output: { type: 'object', properties: { entity: { type: 'object' }, entities: { type: 'array' } } },
  },
  async handler(ctx) {
    const refContext = {
      ...(ctx.input.defaultKind ? { defaultKind: ctx.input.defaultKind } : {}),
      defaultNamespace: ctx.input.defaultNamespace ?? 'default',
    };
    const normalize = (r: string) => stringifyEntityRef(parseEntityRef(r, refContext));
    if (ctx.input.entityRef) {
      const ref = normalize(ctx.input.entityRef);
      const entity = await ctx.catalog.getEntityByRef(ref);
      if (!entity && !ctx.input.optional) throw new Error(`catalog:fetch: entity ${ref} not found`);
      ctx.output('entity', entity ?? null);
    }
    if (ctx.input.entityRefs) {
      const refs = ctx.input.entityRefs.map(normalize);
      const entities = await ctx.catalog.getEntitiesByRefs(refs);
      const missing = refs.filter((_, i) => !entities[i]);
      if (missing.length && !ctx.input.optional) throw new Error(`catalog:fetch: entities not found: ${missing.join(', ')}`);
      ctx.output('entities', entities.map((e) => e ?? null));
    }
  },
});

export const catalogActions: AnyTemplateAction[] = [catalogRegisterAction, catalogWriteAction, catalogFetchAction];
