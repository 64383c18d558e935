import { ConflictError, defineRoute, InputError, NotFoundError, type RouteDefinition } from '@atrium/backend-plugin-api';
import type { ConnectionTestResult, IntegrationSummary, NewIntegration } from '../../common/index.js';
import { githubApiBaseUrl } from '../config.js';
import type { IntegrationRouteServices } from '../modules.js';
import { INTEGRATION_PERMISSIONS } from '../permissions.js';
import { summarize, type IntegrationCredentials } from '../store.js';

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;
const resourceOf = ({ params }: { params: { id: string } }) => `integration:${params.id}`;

/** Integrations from the config file, shown read-only (their secrets never leave the server). */
function configIntegrations(services: IntegrationRouteServices): IntegrationSummary[] {
  const fromConfig: IntegrationSummary[] = [];
  services.config.github.forEach((g, i) => {
    fromConfig.push({
      id: `config:github:${i}`,
      kind: 'github',
      name: g.host,
      host: g.host,
      apiBaseUrl: githubApiBaseUrl(g),
      authType: g.apps?.length ? 'app' : 'token',
      source: 'config',
      discovery: null,
      secretsSet: [
        ...(g.token ? ['token'] : []),
        ...(g.apps?.length ? ['privateKey'] : []),
        ...(g.webhookSecret || g.apps?.some((a) => a.webhookSecret) ? ['webhookSecret'] : []),
      ],
      lastTest: null,
    });
  });
  services.config.gitlab.forEach((g, i) => {
    fromConfig.push({
      id: `config:gitlab:${i}`,
      kind: 'gitlab',
      name: g.host,
      host: g.host,
      apiBaseUrl: g.apiBaseUrl ?? `https://${g.host}/api/v4`,
      authType: 'token',
      source: 'config',
      discovery: null,
      secretsSet: g.token ? ['token'] : [],
      lastTest: null,
    });
  });
  return fromConfig;
}

const discoverySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    org: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9-]{0,38}$' },
    user: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9-]{0,38}$' },
    group: { type: 'string', minLength: 1, maxLength: 500, pattern: '^[A-Za-z0-9_.][A-Za-z0-9_./-]*$' },
    catalogPath: { type: 'string', minLength: 1, maxLength: 500 },
    filters: {
      type: 'object',
      additionalProperties: false,
      properties: {
        topics: { type: 'array', maxItems: 50, items: { type: 'string', minLength: 1, maxLength: 50 } },
        name: { type: 'string', minLength: 1, maxLength: 200 },
        visibility: { type: 'array', items: { enum: ['public', 'private', 'internal'] } },
        includeArchived: { type: 'boolean' },
      },
    },
    intervalSeconds: { type: 'integer', minimum: 30, maximum: 86400 },
    generateComponents: { type: 'boolean' },
    syncOrg: { type: 'boolean' },
  },
} as const;

const newIntegrationSchema = {
  type: 'object',
  required: ['kind', 'name'],
  additionalProperties: false,
  properties: {
    kind: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,30}$' },
    name: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9 ._-]*$' },
    host: { type: 'string', minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.-]+(:[0-9]{1,5})?$' },
    apiBaseUrl: { type: 'string', minLength: 1, maxLength: 2000, pattern: '^https?://' },
    token: { type: 'string', minLength: 1, maxLength: 500 },
    appId: { type: 'integer', minimum: 1 },
    privateKey: { type: 'string', minLength: 1, maxLength: 10000 },
    installationId: { type: 'integer', minimum: 1 },
    webhookSecret: { type: 'string', minLength: 8, maxLength: 500 },
    discovery: discoverySchema,
  },
} as const;

const summarySchema = { $ref: '#/components/schemas/Integration' } as const;

export const listIntegrations = defineRoute<IntegrationRouteServices>({
  method: 'get',
  path: '/integrations',
  permission: INTEGRATION_PERMISSIONS.read,
  summary: 'Integrations from config and those added through the API (never their secrets)',
  response: { description: 'Integrations', schema: { type: 'object', properties: { items: { type: 'array', items: summarySchema } } } },
  handler: async (_req, services) => {
    const stored = await services.store.list();
    return { items: [...configIntegrations(services), ...stored.map(summarize)] };
  },
});

export const createIntegration = defineRoute<IntegrationRouteServices, Record<string, string>, Record<string, never>, NewIntegration>({
  method: 'post',
  path: '/integrations',
  body: newIntegrationSchema,
  permission: INTEGRATION_PERMISSIONS.create,
  summary: 'Add an integration; its credentials are stored encrypted and never returned',
  response: { status: 201, description: 'The integration', schema: summarySchema },
  responses: { '409': { description: 'An integration of that kind and name exists' } },
  handler: async ({ body, caller, res }, services) => {
    const module = services.modules.get(body.kind);
    if (!module) throw new InputError(`Unknown integration kind "${body.kind}"; installed: ${[...services.modules.keys()].join(', ')}`);
    const isApp = body.appId !== undefined || body.privateKey !== undefined;
    if (isApp && (body.appId === undefined || body.privateKey === undefined)) throw new InputError('A GitHub App integration needs both appId and privateKey');
    if (!isApp && !body.token) throw new InputError('Give a token, or a GitHub App (appId and privateKey)');
    if (isApp && body.kind !== 'github') throw new InputError('App credentials are for GitHub integrations only');
    const host = body.host ?? (body.apiBaseUrl ? new URL(body.apiBaseUrl).host : body.kind === 'github' ? 'github.com' : '');
    if (!host) throw new InputError('Give the host (or apiBaseUrl) of the integration');
    const apiBaseUrl =
      body.kind === 'github'
        ? githubApiBaseUrl({ host, ...(body.apiBaseUrl ? { apiBaseUrl: body.apiBaseUrl } : {}) })
        : (body.apiBaseUrl ?? `https://${host}/api/v4`);
    await services.assertOutbound(apiBaseUrl);
    if (body.discovery?.org && body.discovery.user) throw new InputError('Discovery takes an org or a user, not both');
    if (body.discovery?.filters?.name) {
      try {
        new RegExp(body.discovery.filters.name);
      } catch (e) {
        throw new InputError(`discovery.filters.name is not a regular expression: ${(e as Error).message}`);
      }
    }
    const credentials: IntegrationCredentials = isApp
      ? { appId: body.appId!, privateKey: body.privateKey!, ...(body.installationId ? { installationId: body.installationId } : {}) }
      : { token: body.token! };
    if (body.webhookSecret) credentials.webhookSecret = body.webhookSecret;
    const existing = await services.store.list(body.kind);
    if (existing.some((e) => e.name === body.name)) {
      throw new ConflictError(`A ${body.kind} integration named "${body.name}" exists`);
    }
    const created = await services.db.transaction(async (trx) => {
      const stored = await services.store.create(
        {
          kind: body.kind,
          name: body.name,
          host,
          apiBaseUrl,
          authType: isApp ? 'app' : 'token',
          discovery: body.discovery ?? null,
          createdBy: caller.userEntityRef,
          credentials,
        },
        trx,
      );
      // The audit record names the secrets that were set, never their values.
      await services.audit.record(
        { actor: caller, action: 'integrations.integration.create', target: `integration:${stored.id}`, after: summarize(stored) },
        { trx },
      );
      return stored;
    });
    await module.integrationChanged?.(created.id, 'created');
    res.status(201);
    return summarize(created);
  },
});

export const getIntegration = defineRoute<IntegrationRouteServices, { id: string }>({
  method: 'get',
  path: '/integrations/:id',
  params: idParams,
  permission: { name: INTEGRATION_PERMISSIONS.read, resourceRef: resourceOf },
  summary: 'One integration (never its secrets)',
  response: { description: 'The integration', schema: summarySchema },
  responses: { '404': { description: 'No such integration' } },
  handler: async ({ params }, { store }) => {
    const found = await store.get(params.id);
    if (!found) throw new NotFoundError(`No integration with id ${params.id}`);
    return summarize(found);
  },
});

export const deleteIntegration = defineRoute<IntegrationRouteServices, { id: string }>({
  method: 'delete',
  path: '/integrations/:id',
  params: idParams,
  permission: { name: INTEGRATION_PERMISSIONS.delete, resourceRef: resourceOf },
  summary: 'Remove an integration and the entities its discovery brought',
  response: { status: 204, description: 'Removed' },
  responses: { '404': { description: 'No such integration' } },
  handler: async ({ params, caller, res }, services) => {
    const found = await services.store.get(params.id);
    if (!found) throw new NotFoundError(`No integration with id ${params.id}`);
    await services.db.transaction(async (trx) => {
      await services.store.remove(params.id, trx);
      await services.audit.record(
        { actor: caller, action: 'integrations.integration.delete', target: `integration:${params.id}`, before: summarize(found) },
        { trx },
      );
    });
    await services.modules.get(found.kind)?.integrationChanged?.(params.id, 'deleted');
    res.status(204).end();
  },
});

export const testIntegration = defineRoute<IntegrationRouteServices, { id: string }>({
  method: 'post',
  path: '/integrations/:id/test',
  params: idParams,
  permission: { name: INTEGRATION_PERMISSIONS.test, resourceRef: resourceOf },
  summary: 'Test the connection: who the credentials act as, missing scopes, rate limit',
  response: { description: 'The result (ok false with the reason when the credentials do not work)', schema: { $ref: '#/components/schemas/ConnectionTest' } },
  responses: { '404': { description: 'No such integration' } },
  handler: async ({ params, caller }, services) => {
    const found = await services.store.get(params.id);
    if (!found) throw new NotFoundError(`No integration with id ${params.id}`);
    const module = services.modules.get(found.kind);
    if (!module?.testConnection) throw new InputError(`Integrations of kind ${found.kind} cannot be tested`);
    const result: ConnectionTestResult = await module.testConnection(found);
    await services.store.recordTest(found.id, result);
    await services.audit.record({
      actor: caller,
      action: 'integrations.integration.test',
      target: `integration:${found.id}`,
      outcome: result.ok ? 'succeeded' : 'failed',
      meta: { message: result.message },
    });
    return result;
  },
});

export const integrationStatus = defineRoute<IntegrationRouteServices, { id: string }>({
  method: 'get',
  path: '/integrations/:id/status',
  params: idParams,
  permission: { name: INTEGRATION_PERMISSIONS.read, resourceRef: resourceOf },
  summary: 'What discovery found: repositories scanned, entities, errors per repository, rate-limit state',
  response: {
    description: 'Discovery status per target',
    schema: { type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/DiscoveryStatus' } } } },
  },
  responses: { '404': { description: 'No such integration' } },
  handler: async ({ params }, services) => {
    const found = await services.store.get(params.id);
    if (!found) throw new NotFoundError(`No integration with id ${params.id}`);
    return { items: (await services.modules.get(found.kind)?.discoveryStatus?.(found.id)) ?? [] };
  },
});

export const runIntegration = defineRoute<IntegrationRouteServices, { id: string }>({
  method: 'post',
  path: '/integrations/:id/run',
  params: idParams,
  permission: { name: INTEGRATION_PERMISSIONS.update, resourceRef: resourceOf },
  summary: 'Start the discovery of an integration now (it runs in the background)',
  response: { status: 202, description: 'Started' },
  responses: { '404': { description: 'No such integration' } },
  handler: async ({ params, caller, res }, services) => {
    const found = await services.store.get(params.id);
    if (!found) throw new NotFoundError(`No integration with id ${params.id}`);
    const module = services.modules.get(found.kind);
    if (!module?.runNow) throw new InputError(`Integrations of kind ${found.kind} have no discovery`);
    await services.audit.record({ actor: caller, action: 'integrations.discovery.run', target: `integration:${found.id}` });
    void module.runNow(found.id).catch((e: unknown) => services.logger.warn({ err: e, integration: found.id }, 'integrations: discovery run failed'));
    res.status(202);
    return { started: true };
  },
});

export const discoveryStatusAll = defineRoute<IntegrationRouteServices>({
  method: 'get',
  path: '/discovery',
  permission: INTEGRATION_PERMISSIONS.read,
  summary: 'Discovery status of every target (config and API integrations)',
  response: {
    description: 'Discovery status per target',
    schema: { type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/DiscoveryStatus' } } } },
  },
  handler: async (_req, services) => {
    const items = [];
    for (const m of services.modules.values()) if (m.discoveryStatus) items.push(...(await m.discoveryStatus()));
    return { items };
  },
});

export const runDiscoveryTarget = defineRoute<IntegrationRouteServices, Record<string, string>, { wait: boolean }, { targetId: string }>({
  method: 'post',
  path: '/discovery/run',
  query: { type: 'object', properties: { wait: { type: 'boolean', default: false } } },
  body: { type: 'object', required: ['targetId'], additionalProperties: false, properties: { targetId: { type: 'string', minLength: 1, maxLength: 200 } } },
  permission: { name: INTEGRATION_PERMISSIONS.update, resourceRef: ({ body }) => `integration-target:${body.targetId}` },
  summary: 'Run one discovery target now (config or API); with wait=true, answer when the run has ended',
  response: { status: 202, description: 'Started (200 with wait=true once it ended)' },
  responses: { '404': { description: 'No such discovery target' } },
  handler: async ({ body, query, caller, res }, services) => {
    const module = [...services.modules.values()].find((m) => m.targetIds?.().includes(body.targetId));
    if (!module?.runTarget) throw new NotFoundError(`No discovery target ${body.targetId}`);
    await services.audit.record({ actor: caller, action: 'integrations.discovery.run', target: `integration-target:${body.targetId}` });
    const run = module.runTarget(body.targetId);
    if (query.wait) {
      await run;
      res.status(200).json({ ran: true });
      return undefined;
    }
    void run.catch((e: unknown) => services.logger.warn({ err: e, target: body.targetId }, 'integrations: discovery run failed'));
    res.status(202);
    return { started: true };
  },
});

export const integrationRoutes: RouteDefinition<IntegrationRouteServices>[] = [
  runDiscoveryTarget,
  listIntegrations,
  createIntegration,
  getIntegration,
  deleteIntegration,
  testIntegration,
  integrationStatus,
  runIntegration,
  discoveryStatusAll,
] as RouteDefinition<IntegrationRouteServices>[];
