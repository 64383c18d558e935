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

/** The Location entity the catalog makes for every registered location (`generated-<hash>`). */
function isGeneratedLocation(e: EntityLike): boolean {
  return e.kind.toLowerCase() === 'location' && e.metadata.name.startsWith('generated-');
}

/** The entity "Open in catalog" should show: a Component if there is one, else the first entity the file yields. */
export function pickEntityRef(entities: EntityLike[]): string | undefined {
  const own = entities.filter((e) => !isGeneratedLocation(e));
  const chosen = own.find((e) => e.kind.toLowerCase() === 'component') ?? own[0];
  return chosen ? stringifyEntityRef({ kind: chosen.kind, namespace: chosen.metadata.namespace ?? 'default', name: chosen.metadata.name }) : undefined;
}

/** How long catalog:register waits for the catalog's first read of the new location (the step timeout still applies). */
const READ_TIMEOUT_MS = 5 * 60 * 1000;

export const catalogRegisterAction = createTemplateAction<RegisterInput>({
  id: 'catalog:register',
  description:
    "Registers a catalog-info file (by URL, or a repository plus a path) as a catalog location, waits for the catalog to read it, and fails with the location's errors when it yields no entities.",
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
    const where = `${type}:${target}`;
    const fail = (message: string) => {
      if (input.optional) {
        ctx.logger.warn(message);
        return;
      }
      throw new Error(message);
    };
    ctx.logger.info(`Registering ${where} in the catalog`);
    // In-process: no HTTP call back into our own server.
    let added;
    try {
      added = await ctx.catalog.addLocation({ type, target }, { onConflict: 'refresh', ...(ctx.user.ref ? { requestedBy: ctx.user.ref } : {}) });
    } catch (error) {
      return fail(`catalog:register: the catalog refused ${where}: ${(error as Error).message}`);
    }
    if (added.existed) ctx.logger.info('The location is already registered; reading it again');
    const read = await ctx.catalog.waitForLocationRead(added.location.id, { timeoutMs: READ_TIMEOUT_MS, signal: ctx.signal });
    const problems = read.status.errors.map((e) => `${e.message}${e.file ? ` (${e.file}${e.line ? `:${e.line}` : ''})` : ''}`);
    const entities = read.entities.filter((e) => !isGeneratedLocation(e));
    if (entities.length === 0) {
      // Nothing half-done: a location this step added and that yields nothing is removed again.
      if (!added.existed) await ctx.catalog.removeLocation(added.location.id).catch(() => undefined);
      const reason = problems.length ? problems.slice(0, 10).join('; ') : 'it yielded no entities';
      return fail(`catalog:register: the catalog could not read any entity from ${where}: ${reason}`);
    }
    for (const p of problems) ctx.logger.warn(`The catalog reported: ${p}`);
    ctx.output('catalogInfoUrl', target);
    const ref = pickEntityRef(entities);
    if (ref) ctx.output('entityRef', ref);
    ctx.logger.info(`Registered ${entities.length} entit${entities.length === 1 ? 'y' : 'ies'}${ref ? `; ${ref}` : ''}`);
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
      ctx.output(
        'entities',
        entities.map((e) => e ?? null),
      );
    }
  },
});

export const catalogActions: AnyTemplateAction[] = [catalogRegisterAction, catalogWriteAction, catalogFetchAction];
