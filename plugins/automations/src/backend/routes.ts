import { defineRoute, NotFoundError, ConflictError, type AuditService, type Db } from '@atrium/backend-plugin-api';
import type { Entity } from '@atrium/catalog-model';
import type { CatalogService } from '@atrium/plugin-catalog/backend';
import { AUTOMATION_PERMISSIONS, BUILTIN_TRIGGERS, type DryRunResult } from '../common/index.js';
import type { Automation } from './definitions.js';
import type { Engine } from './engine.js';
import type { SourceEvent } from './source.js';
import { deliveryById, recentRuns, summaries } from './views.js';

export interface RouteServices {
  db: Db;
  audit: AuditService;
  catalog: CatalogService;
  engine: Engine;
  automations(): Automation[];
  customTriggers(): Array<{ type: string; description: string; pluginId: string }>;
  /** Wakes the delivery loop after a re-delivery. */
  kick(): void;
  /** Dry runs: why an action would fail now (annotate, scaffolder), without doing it. */
  checkAction?(type: string, request: Record<string, unknown>): Promise<string | undefined>;
}

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 200 } } };
const uuidParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } };

function find(services: RouteServices, id: string): Automation {
  const a = services.automations().find((x) => x.id === id);
  if (!a) throw new NotFoundError(`No automation with id ${id}`);
  return a;
}

const list = defineRoute<RouteServices>({
  method: 'get',
  path: '/automations',
  permission: AUTOMATION_PERMISSIONS.read,
  summary: 'Automations with their status, run counts and definition errors',
  response: { description: 'The automations', schema: { $ref: '#/components/schemas/AutomationList' } },
  handler: async (_r, s) => ({ items: await summaries(s.db, s.automations()) }),
});

const triggers = defineRoute<RouteServices>({
  method: 'get',
  path: '/triggers',
  permission: AUTOMATION_PERMISSIONS.read,
  summary: 'Trigger types: built in and registered by plugins',
  handler: async (_r, s) => ({
    items: [...Object.entries(BUILTIN_TRIGGERS).map(([type, description]) => ({ type, description, pluginId: 'automations' })), ...s.customTriggers()],
  }),
});

const one = defineRoute<RouteServices, { id: string }, { limit?: number }>({
  method: 'get',
  path: '/automations/:id',
  params: idParams,
  query: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 200, default: 25 } }, additionalProperties: false },
  permission: AUTOMATION_PERMISSIONS.read,
  summary: 'One automation and its recent runs with their deliveries',
  responses: { '404': { description: 'No such automation' } },
  handler: async ({ params, query }, s) => {
    const a = find(s, params.id);
    const [summary] = await summaries(s.db, [a]);
    return { automation: summary, runs: await recentRuns(s.db, a.id, query.limit ?? 25) };
  },
});

const delivery = defineRoute<RouteServices, { id: string }>({
  method: 'get',
  path: '/deliveries/:id',
  params: uuidParams,
  permission: AUTOMATION_PERMISSIONS.read,
  summary: 'One delivery: request, attempts with status, duration and the start of each response',
  responses: { '404': { description: 'No such delivery' } },
  handler: async ({ params }, s) => {
    const d = await deliveryById(s.db, params.id);
    if (!d) throw new NotFoundError(`No delivery with id ${params.id}`);
    return d;
  },
});

function setPaused(paused: boolean) {
  return defineRoute<RouteServices, { id: string }>({
    method: 'post',
    path: `/automations/:id/${paused ? 'pause' : 'resume'}`,
    params: idParams,
    permission: AUTOMATION_PERMISSIONS.update,
    summary: paused ? 'Pause an automation: events while paused do not run it' : 'Resume a paused automation',
    responses: { '404': { description: 'No such automation' } },
    handler: async ({ params, caller }, s) => {
      const a = find(s, params.id);
      await s.db.transaction(async (trx) => {
        const before = (await trx('automation_state').where({ automation_id: a.id }).first()) as { paused: boolean } | undefined;
        await trx('automation_state')
          .insert({ automation_id: a.id, paused, updated_by: caller.userEntityRef })
          .onConflict('automation_id')
          .merge({ paused, updated_by: caller.userEntityRef, updated_at: trx.fn.now() });
        await s.audit.record(
          {
            actor: caller,
            action: `automations.automation.${paused ? 'pause' : 'resume'}`,
            target: a.id,
            before: { paused: before?.paused ?? false },
            after: { paused },
          },
          { trx },
        );
      });
      return { id: a.id, paused };
    },
  });
}

const redeliver = defineRoute<RouteServices, { id: string }>({
  method: 'post',
  path: '/deliveries/:id/redeliver',
  params: uuidParams,
  permission: AUTOMATION_PERMISSIONS.redeliver,
  summary: 'Send a finished delivery again (same request and idempotency key, attempts start over)',
  responses: { '404': { description: 'No such delivery' }, '409': { description: 'The delivery is still pending' } },
  handler: async ({ params, caller }, s) => {
    await s.db.transaction(async (trx) => {
      const row = (await trx('deliveries').where({ id: params.id }).forUpdate().first()) as
        { status: string; attempts: number; run_id: string; action_type: string } | undefined;
      if (!row) throw new NotFoundError(`No delivery with id ${params.id}`);
      if (row.status === 'pending') throw new ConflictError('The delivery is still pending; it will be attempted again on its own');
      if (row.action_type === 'emit') throw new ConflictError('An emit action is not re-delivered (it would raise its event again)');
      await trx('deliveries')
        .where({ id: params.id })
        .update({ status: 'pending', attempts: 0, next_attempt_at: trx.fn.now(), lease_owner: null, lease_until: null, updated_at: trx.fn.now() });
      await trx('runs').where({ id: row.run_id }).update({ status: 'running' });
      await s.audit.record(
        {
          actor: caller,
          action: 'automations.delivery.redeliver',
          target: params.id,
          before: { status: row.status, attempts: row.attempts },
          after: { status: 'pending' },
        },
        { trx },
      );
    });
    s.kick();
    return { id: params.id, status: 'pending' };
  },
});

interface TestBody {
  event: { type?: string; entityRef?: string; payload?: unknown; before?: Entity | null; after?: Entity | null; hop?: number };
}

const test = defineRoute<RouteServices, { id: string }, Record<string, never>, TestBody>({
  method: 'post',
  path: '/automations/:id/test',
  params: idParams,
  body: {
    type: 'object',
    required: ['event'],
    properties: {
      event: {
        type: 'object',
        properties: {
          type: { type: 'string', minLength: 1, maxLength: 200 },
          entityRef: { type: 'string', minLength: 1, maxLength: 500 },
          payload: {},
          before: { anyOf: [{ type: 'object' }, { type: 'null' }] },
          after: { anyOf: [{ type: 'object' }, { type: 'null' }] },
          hop: { type: 'integer', minimum: 0, maximum: 1000 },
        },
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  },
  permission: AUTOMATION_PERMISSIONS.test,
  summary: 'Dry run: would this event run the automation, and what would it send? Nothing is sent or recorded.',
  responses: { '404': { description: 'No such automation' } },
  handler: async ({ params, body }, s): Promise<DryRunResult> => {
    const a = find(s, params.id);
    if (!a.enabled)
      return {
        matched: false,
        reason: a.errors.length ? `the definition has errors: ${a.errors.join('; ')}` : 'the automation is disabled in its definition',
        actions: [],
      };
    const e = body.event;
    const given = e.after ?? e.before;
    const entityRef =
      e.entityRef ?? (given?.metadata?.name ? `${given.kind}:${given.metadata.namespace ?? 'default'}/${given.metadata.name}`.toLowerCase() : undefined);
    const entity = e.entityRef && e.after === undefined && e.before === undefined ? await s.catalog.getEntityByRef(e.entityRef) : undefined;
    const event: SourceEvent = {
      key: 'dry-run',
      type: e.type ?? a.spec.trigger.type,
      time: new Date().toISOString(),
      ...(entityRef ? { entityRef } : {}),
      ...(e.payload !== undefined ? { payload: e.payload } : {}),
      ...(e.before !== undefined ? { before: e.before } : {}),
      ...(e.after !== undefined ? { after: e.after } : {}),
      hop: e.hop ?? 0,
    };
    if (event.type !== a.spec.trigger.type)
      return { matched: false, reason: `the automation listens to ${a.spec.trigger.type}, not ${event.type}`, actions: [] };
    const plan = s.engine.plan(a, event, entity);
    if (!plan) return { matched: false, reason: 'the condition is false for this event', actions: [] };
    if (plan.status !== 'running') return { matched: false, reason: plan.reason ?? plan.status, actions: [] };
    const actions = await Promise.all(
      plan.actions.map(async (x) => {
        const error = await s.checkAction?.(x.type, x.request);
        return { type: x.type, request: x.request, ...(error ? { error } : {}) };
      }),
    );
    return { matched: true, actions };
  },
});

export const automationsRoutes = [list, triggers, one, delivery, setPaused(true), setPaused(false), redeliver, test];
