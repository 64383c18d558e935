import { ConflictError, defineRoute, InputError, NotFoundError, type Caller, type JsonSchema } from '@atrium/backend-plugin-api';
import type { Exemption } from '../../common/index.js';
import { json, normaliseRef, restrictedReader, stringParams, type ScorecardsRouteServices } from './shared.js';

// An entity the caller may not read is answered like one the catalog does not have (404, not 403).
const noEntity = (entityRef: string) => new NotFoundError(`No entity ${entityRef} in the catalog`);
const noExemption = (id: string) => new NotFoundError(`No exemption "${id}"`);

interface ExemptionInput {
  entityRef: string;
  scorecardId: string;
  ruleId: string;
  reason: string;
  expiresAt: string;
  approvedBy?: string;
}

const exemptionProperties: Record<string, JsonSchema> = {
  entityRef: { type: 'string' },
  scorecardId: { type: 'string' },
  ruleId: { type: 'string' },
  reason: { type: 'string', minLength: 3, maxLength: 2000 },
  expiresAt: { type: 'string', format: 'date-time' },
};
const exemptionBody = (extra: Record<string, JsonSchema> = {}): JsonSchema => ({
  type: 'object',
  required: ['entityRef', 'scorecardId', 'ruleId', 'reason', 'expiresAt'],
  additionalProperties: false,
  properties: { ...exemptionProperties, ...extra },
});

/** Validates an exemption body against the loaded scorecards and the catalog; returns the normalised entity ref. */
async function checkExemption({ runtime, catalog }: ScorecardsRouteServices, b: ExemptionInput, caller: Caller): Promise<string> {
  const entityRef = normaliseRef(b.entityRef);
  // Missing, or hidden from the caller (whatever the exemption permission allows): the same 404.
  const [entity] = await catalog.getEntitiesByRefs([entityRef], { fields: ['kind'], caller });
  if (!entity) throw noEntity(entityRef);
  const s = runtime.scorecard(b.scorecardId);
  if (!s) throw new InputError(`No scorecard "${b.scorecardId}"`);
  if (!s.definition.rules.some((r) => r.id === b.ruleId)) throw new InputError(`Scorecard "${b.scorecardId}" has no rule "${b.ruleId}"`);
  if (Date.parse(b.expiresAt) <= Date.now()) throw new InputError('expiresAt must be in the future');
  return entityRef;
}

export const listExemptions = defineRoute<
  ScorecardsRouteServices,
  Record<string, string>,
  { entityRef?: string; scorecard?: string; status: Exemption['status'] }
>({
  method: 'get',
  path: '/exemptions',
  query: {
    type: 'object',
    properties: { entityRef: { type: 'string' }, scorecard: { type: 'string' }, status: { enum: ['requested', 'granted'], default: 'granted' } },
  },
  permission: 'scorecards.read',
  summary: 'Exemptions that have not expired: granted (default) or requested',
  response: json('Exemptions'),
  handler: async ({ query: q, caller }, services) => ({
    items: await services.store.exemptions({
      now: new Date(),
      status: q.status,
      ...(q.entityRef ? { entityRef: normaliseRef(q.entityRef) } : {}),
      ...(q.scorecard ? { scorecardId: q.scorecard } : {}),
      visible: (await restrictedReader(services, caller))?.visible,
    }),
  }),
});

// Granted at once (by the caller, or on behalf of `approvedBy`).
export const createExemption = defineRoute<ScorecardsRouteServices, Record<string, string>, Record<string, never>, ExemptionInput>({
  method: 'post',
  path: '/exemptions',
  body: exemptionBody({ approvedBy: { type: 'string', minLength: 1 } }),
  permission: {
    name: 'scorecards.exemption.create',
    resourceRef: ({ body }) => normaliseRef(body.entityRef),
    hiddenAs: (_r, ref) => noEntity(ref),
    hiddenUnless: 'catalog.entity.read',
  },
  summary: 'Exempt an entity from a rule until a date (granted at once)',
  response: { status: 201, description: 'Created', schema: { type: 'object' } },
  handler: async ({ body: b, caller }, services) => {
    const entityRef = await checkExemption(services, b, caller);
    const exemption = await services.store.addExemption(
      {
        entityRef,
        scorecardId: b.scorecardId,
        ruleId: b.ruleId,
        reason: b.reason,
        expiresAt: b.expiresAt,
        status: 'granted',
        requestedBy: null,
        approvedBy: b.approvedBy ?? caller.userEntityRef,
      },
      new Date(),
      (trx, created) =>
        Promise.resolve(
          services.audit.record(
            { actor: caller, action: 'scorecards.exemption.create', target: entityRef, meta: { id: created.id, ruleId: b.ruleId, scorecardId: b.scorecardId } },
            { trx },
          ),
        ),
    );
    services.runtime.enqueue(entityRef);
    return exemption;
  },
});

// Asked for by an owner; counts for nothing until granted.
export const requestExemption = defineRoute<ScorecardsRouteServices, Record<string, string>, Record<string, never>, ExemptionInput>({
  method: 'post',
  path: '/exemptions/requests',
  body: exemptionBody(),
  permission: {
    name: 'scorecards.exemption.request',
    resourceRef: ({ body }) => normaliseRef(body.entityRef),
    hiddenAs: (_r, ref) => noEntity(ref),
    hiddenUnless: 'catalog.entity.read',
  },
  summary: 'Ask for an exemption; it counts once granted',
  response: { status: 201, description: 'Requested', schema: { type: 'object' } },
  handler: async ({ body: b, caller }, services) => {
    const entityRef = await checkExemption(services, b, caller);
    const exemption = await services.store.addExemption(
      {
        entityRef,
        scorecardId: b.scorecardId,
        ruleId: b.ruleId,
        reason: b.reason,
        expiresAt: b.expiresAt,
        status: 'requested',
        requestedBy: caller.userEntityRef,
        approvedBy: null,
      },
      new Date(),
      (trx, created) =>
        Promise.resolve(
          services.audit.record(
            {
              actor: caller,
              action: 'scorecards.exemption.request',
              target: entityRef,
              meta: { id: created.id, ruleId: b.ruleId, scorecardId: b.scorecardId },
            },
            { trx },
          ),
        ),
    );
    return exemption;
  },
});

export const grantExemption = defineRoute<ScorecardsRouteServices, { id: string }>({
  method: 'post',
  path: '/exemptions/:id/grant',
  params: stringParams('id'),
  // The check concerns the entity the exemption belongs to, looked up in the store.
  permission: {
    name: 'scorecards.exemption.create',
    resourceRef: async ({ params }, { store }) => (await store.exemption(params.id))?.entityRef,
    // An exemption of an entity the caller may not read is answered like a missing one.
    hiddenAs: ({ params }) => noExemption(params.id),
    hiddenUnless: 'catalog.entity.read',
  },
  summary: 'Grant a requested exemption',
  response: json('Granted'),
  responses: { '404': { description: 'No such exemption' }, '409': { description: 'Already granted' } },
  handler: async ({ params: { id }, caller }, { store, audit, runtime }) => {
    const existing = await store.exemption(id);
    if (!existing) throw noExemption(id);
    if (existing.status === 'granted') throw new ConflictError(`Exemption "${id}" is already granted`);
    if (Date.parse(existing.expiresAt) <= Date.now()) throw new InputError(`Exemption "${id}" expired on ${existing.expiresAt}; ask for a new one`);
    const granted = await store.grantExemption(id, caller.userEntityRef, new Date(), (trx, g) =>
      Promise.resolve(
        audit.record(
          { actor: caller, action: 'scorecards.exemption.grant', target: g.entityRef, meta: { id, ruleId: g.ruleId, scorecardId: g.scorecardId } },
          { trx },
        ),
      ),
    );
    if (!granted) throw new ConflictError(`Exemption "${id}" is already granted`);
    runtime.enqueue(granted.entityRef);
    return granted;
  },
});

// Revokes a granted exemption or turns down a request.
export const deleteExemption = defineRoute<ScorecardsRouteServices, { id: string }>({
  method: 'delete',
  path: '/exemptions/:id',
  params: stringParams('id'),
  permission: 'scorecards.exemption.delete',
  summary: 'Revoke an exemption or turn down a request',
  response: { status: 204, description: 'Removed' },
  responses: { '404': { description: 'No such exemption' } },
  handler: async ({ params: { id }, caller, res }, { store, audit, runtime }) => {
    const removed = await store.deleteExemption(id, (trx, r) =>
      Promise.resolve(
        audit.record({ actor: caller, action: 'scorecards.exemption.delete', target: r.entityRef, meta: { id: r.id, status: r.status } }, { trx }),
      ),
    );
    if (!removed) throw new NotFoundError(`No exemption "${id}"`);
    if (removed.status === 'granted') runtime.enqueue(removed.entityRef);
    res.status(204).end();
  },
});
