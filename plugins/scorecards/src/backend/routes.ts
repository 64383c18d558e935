import { ConflictError, InputError, NotFoundError, validateInput, type AuthService, type PermissionsService, type AuditService } from '@atrium/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@atrium/catalog-model';
import type { CatalogService } from '@atrium/plugin-catalog/backend';
import type { Request, Router } from 'express';
import type { EntityResultsResponse, EntityScorecardResult, Exemption, ListScorecardsResponse, RuleResult, RuleResultsResponse, RuleStatus, RuleTally, ScorecardSummary } from '../common/index.js';
import { isUnmet, levelRank, RULE_STATUSES } from '../common/index.js';
import { initiativeProgress } from './initiatives.js';
import { addTally, emptyTally, groupRollups, ownerRollups } from './rollups.js';
import type { ScorecardsRuntime } from './runtime.js';
import type { ScorecardStore } from './store.js';

export interface RouteContext {
  runtime: ScorecardsRuntime;
  store: ScorecardStore;
  catalog: CatalogService;
  auth: AuthService;
  permissions: PermissionsService;
  audit: AuditService;
  triggerSweep(): Promise<void>;
}

function normaliseRef(ref: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(ref)).toLowerCase();
  } catch (e) {
    throw new InputError(`Invalid entity ref "${ref}": ${(e as Error).message}`);
  }
}

const daysQuery = {
  type: 'object',
  properties: { days: { type: 'integer', minimum: 1, maximum: 3650, default: 90 }, owner: { type: 'string' }, entityRef: { type: 'string' }, scorecard: { type: 'string' } },
};

/** A rule result as everyone may read it: the engine's own reason (`detail`) stays with GET /rule-errors. */
function publicRule({ detail: _detail, ...rule }: RuleResult): RuleResult {
  return rule;
}
const publicResult = <T extends EntityScorecardResult>(r: T): T => ({ ...r, rules: r.rules.map(publicRule) });

const exemptionBody = {
  type: 'object',
  required: ['entityRef', 'scorecardId', 'ruleId', 'reason', 'expiresAt'],
  additionalProperties: false,
  properties: {
    entityRef: { type: 'string' },
    scorecardId: { type: 'string' },
    ruleId: { type: 'string' },
    reason: { type: 'string', minLength: 3, maxLength: 2000 },
    expiresAt: { type: 'string', format: 'date-time' },
    approvedBy: { type: 'string', minLength: 1 },
  },
};

/** Wraps a CSV field: quotes, doubled quotes, and a leading ' against formula injection. */
function csv(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function registerRoutes(router: Router, ctx: RouteContext): void {
  const { runtime, store } = ctx;
  const read = async (req: Request) => ctx.permissions.assert(await ctx.auth.getCaller(req), { permission: 'scorecards.read' });
  const scorecardOr404 = (id: string) => {
    const s = runtime.scorecard(id);
    if (!s) throw new NotFoundError(`No scorecard "${id}"`);
    return s;
  };

  router.get('/scorecards', async (req, res) => {
    await read(req);
    const items: ScorecardSummary[] = [];
    for (const { definition } of runtime.scorecards) {
      const owners = await ownerRollups(store, definition.id);
      const levelDistribution: Record<string, number> = {};
      const rulePassRates: Record<string, RuleTally> = {};
      let entityCount = 0;
      for (const o of owners) {
        entityCount += o.entityCount;
        for (const [l, n] of Object.entries(o.levels)) levelDistribution[l] = (levelDistribution[l] ?? 0) + n;
        for (const [r, x] of Object.entries(o.rulePassRates)) addTally((rulePassRates[r] ??= emptyTally()), x);
      }
      items.push({ ...definition, entityCount, levelDistribution, rulePassRates });
    }
    const body: ListScorecardsResponse = { items, errors: runtime.errors };
    res.json(body);
  });

  router.get('/scorecards/:id', async (req, res) => {
    await read(req);
    res.json(scorecardOr404(String(req.params['id'])).definition);
  });

  // One rule: its definition, its tally, and the entities with a given status (default: the unmet ones).
  router.get('/scorecards/:id/rules/:ruleId', async (req, res) => {
    await read(req);
    const { definition } = scorecardOr404(String(req.params['id']));
    const rule = definition.rules.find((r) => r.id === req.params['ruleId']);
    if (!rule) throw new NotFoundError(`Scorecard "${definition.id}" has no rule "${req.params['ruleId']}"`);
    const q = validateInput<{ status: 'unmet' | 'all' | RuleStatus }>({ type: 'object', properties: { status: { enum: ['unmet', 'all', ...RULE_STATUSES], default: 'unmet' } } }, { ...req.query }, 'query');
    const all = await store.ruleResults(definition.id, rule.id);
    const tally = emptyTally();
    for (const o of await ownerRollups(store, definition.id)) addTally(tally, o.rulePassRates[rule.id] ?? emptyTally());
    const wanted = (s: RuleStatus) => (q.status === 'all' ? true : q.status === 'unmet' ? isUnmet(s) : s === q.status);
    const body: RuleResultsResponse = {
      scorecard: definition,
      rule,
      tally,
      status: q.status,
      items: all.filter((x) => wanted(x.rule.status)).map((x) => ({ ...x, rule: publicRule(x.rule) })),
    };
    res.json(body);
  });

  // For the scorecard's authors: why rules could not be evaluated (the engine's words), per entity.
  router.get('/rule-errors', async (req, res) => {
    const caller = await ctx.auth.getCaller(req);
    await ctx.permissions.assert(caller, { permission: 'scorecards.rule-errors.read' });
    const q = validateInput<{ scorecard: string; rule?: string }>({ type: 'object', required: ['scorecard'], properties: { scorecard: { type: 'string' }, rule: { type: 'string' } } }, { ...req.query }, 'query');
    const { definition } = scorecardOr404(q.scorecard);
    const rules = q.rule ? [q.rule] : definition.rules.map((r) => r.id);
    const items = [];
    for (const ruleId of rules) {
      for (const x of await store.ruleResults(definition.id, ruleId)) {
        if (x.rule.detail) items.push({ entityRef: x.entityRef, scorecardId: definition.id, ruleId, status: x.rule.status, detail: x.rule.detail });
      }
    }
    res.json({ items });
  });

  router.get('/scorecards/:id/rollups', async (req, res) => {
    await read(req);
    const id = scorecardOr404(String(req.params['id'])).definition.id;
    const q = validateInput<{ by: 'owner' | 'group' }>({ type: 'object', properties: { by: { enum: ['owner', 'group'], default: 'owner' } } }, { ...req.query }, 'query');
    res.json({ items: q.by === 'group' ? await groupRollups(store, ctx.catalog, id) : await ownerRollups(store, id) });
  });

  router.get('/scorecards/:id/trend', async (req, res) => {
    await read(req);
    const id = scorecardOr404(String(req.params['id'])).definition.id;
    const q = validateInput<{ days: number; owner?: string }>(daysQuery, { ...req.query }, 'query');
    const since = new Date(Date.now() - q.days * 86_400_000).toISOString().slice(0, 10);
    res.json({ items: await store.dailyLevels(id, since, q.owner ? [normaliseRef(q.owner)] : undefined) });
  });

  router.get('/entities/:kind/:namespace/:name', async (req, res) => {
    await read(req);
    const ref = normaliseRef(`${req.params['kind']}:${req.params['namespace']}/${req.params['name']}`);
    const [results, facts] = await Promise.all([store.results({ entityRef: ref }), store.loadFacts([ref])]);
    const body: EntityResultsResponse = {
      entityRef: ref,
      results: results.flatMap((r) => {
        const s = runtime.scorecard(r.scorecardId);
        return s ? [{ ...publicResult(r), scorecard: s.definition }] : [];
      }),
      facts: facts.get(ref)?.facts ?? {},
    };
    res.json(body);
  });

  // What a team should fix next: failing rules over its entities, lowest level first, then by points at stake.
  router.get('/owners/:ownerRef/fix-next', async (req, res) => {
    await read(req);
    const owner = normaliseRef(String(req.params['ownerRef']));
    const results = await store.results({ owners: [owner] });
    const items = new Map<string, { scorecardId: string; ruleId: string; title: string; level: string; levelRank: number; weight: number; failureMessage?: string; entityRefs: string[]; pointsAtStake: number }>();
    for (const r of results) {
      const s = runtime.scorecard(r.scorecardId);
      if (!s) continue;
      for (const rr of r.rules) {
        if (!isUnmet(rr.status)) continue;
        const rule = s.definition.rules.find((x) => x.id === rr.ruleId);
        if (!rule) continue;
        const key = `${s.definition.id}/${rule.id}`;
        const item =
          items.get(key) ??
          items
            .set(key, { scorecardId: s.definition.id, ruleId: rule.id, title: rule.title, level: rule.level, levelRank: levelRank(s.definition, rule.level), weight: rule.weight, ...(rule.failureMessage ? { failureMessage: rule.failureMessage } : {}), entityRefs: [], pointsAtStake: 0 })
            .get(key)!;
        item.entityRefs.push(r.entityRef);
        item.pointsAtStake += rule.weight;
      }
    }
    const sorted = [...items.values()].sort((a, b) => a.levelRank - b.levelRank || b.pointsAtStake - a.pointsAtStake || a.ruleId.localeCompare(b.ruleId));
    res.json({ owner, results: results.map(publicResult), items: sorted });
  });

  router.get('/history', async (req, res) => {
    await read(req);
    const q = validateInput<{ days: number; entityRef?: string; scorecard?: string }>(daysQuery, { ...req.query }, 'query');
    if (!q.entityRef && !q.scorecard) throw new InputError('Give entityRef or scorecard');
    res.json({
      items: await store.history({
        ...(q.entityRef ? { entityRef: normaliseRef(q.entityRef) } : {}),
        ...(q.scorecard ? { scorecardId: q.scorecard } : {}),
        since: new Date(Date.now() - q.days * 86_400_000),
        limit: 10_000,
      }),
    });
  });

  router.get('/export.csv', async (req, res) => {
    await read(req);
    const q = validateInput<{ scorecard?: string; owner?: string }>({ type: 'object', properties: { scorecard: { type: 'string' }, owner: { type: 'string' } } }, { ...req.query }, 'query');
    const results = await store.results({ ...(q.scorecard ? { scorecardId: q.scorecard } : {}), ...(q.owner ? { owners: [normaliseRef(q.owner)] } : {}) });
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="scorecards${q.scorecard ? `-${q.scorecard}` : ''}.csv"`);
    const lines = ['entity_ref,scorecard,owner,level,points,max_points,failing_rules,evaluated_at'];
    for (const r of results) {
      const failing = r.rules.filter((x) => isUnmet(x.status)).map((x) => x.ruleId).join(' ');
      lines.push([r.entityRef, r.scorecardId, r.owner, r.level ?? '', r.points, r.maxPoints, failing, r.changedAt].map(csv).join(','));
    }
    res.send(`${lines.join('\n')}\n`);
  });

  router.get('/initiatives', async (req, res) => {
    await read(req);
    const items = [];
    for (const initiative of runtime.initiatives) {
      const s = runtime.scorecard(initiative.scorecard);
      if (!s) continue;
      const p = await initiativeProgress(initiative, s.definition, ctx.catalog, store);
      items.push({ ...initiative, total: p.total, passing: p.passing, daysLeft: p.daysLeft });
    }
    res.json({ items, errors: runtime.errors.filter((e) => e.initiative) });
  });

  router.get('/initiatives/:id', async (req, res) => {
    await read(req);
    const initiative = runtime.initiatives.find((i) => i.id === req.params['id']);
    if (!initiative) throw new NotFoundError(`No initiative "${req.params['id']}"`);
    const s = scorecardOr404(initiative.scorecard);
    res.json({ ...(await initiativeProgress(initiative, s.definition, ctx.catalog, store)), scorecard: s.definition });
  });

  router.get('/exemptions', async (req, res) => {
    await read(req);
    const q = validateInput<{ entityRef?: string; scorecard?: string; status: Exemption['status'] }>(
      { type: 'object', properties: { entityRef: { type: 'string' }, scorecard: { type: 'string' }, status: { enum: ['requested', 'granted'], default: 'granted' } } },
      { ...req.query },
      'query',
    );
    res.json({ items: await store.exemptions({ now: new Date(), status: q.status, ...(q.entityRef ? { entityRef: normaliseRef(q.entityRef) } : {}), ...(q.scorecard ? { scorecardId: q.scorecard } : {}) }) });
  });

  /** Validates an exemption body against the loaded scorecards; returns the normalised entity ref. */
  const checkExemption = (b: { entityRef: string; scorecardId: string; ruleId: string; expiresAt: string }) => {
    const entityRef = normaliseRef(b.entityRef);
    const s = runtime.scorecard(b.scorecardId);
    if (!s) throw new InputError(`No scorecard "${b.scorecardId}"`);
    if (!s.definition.rules.some((r) => r.id === b.ruleId)) throw new InputError(`Scorecard "${b.scorecardId}" has no rule "${b.ruleId}"`);
    if (Date.parse(b.expiresAt) <= Date.now()) throw new InputError('expiresAt must be in the future');
    return entityRef;
  };

  // Granted at once (by the caller, or on behalf of `approvedBy`).
  router.post('/exemptions', async (req, res) => {
    const caller = await ctx.auth.getCaller(req);
    const b = validateInput<{ entityRef: string; scorecardId: string; ruleId: string; reason: string; expiresAt: string; approvedBy?: string }>(exemptionBody, req.body, 'body');
    const entityRef = checkExemption(b);
    await ctx.permissions.assert(caller, { permission: 'scorecards.exemption.create', resourceRef: entityRef });
    const exemption = await store.addExemption(
      { entityRef, scorecardId: b.scorecardId, ruleId: b.ruleId, reason: b.reason, expiresAt: b.expiresAt, status: 'granted', requestedBy: null, approvedBy: b.approvedBy ?? caller.userEntityRef },
      new Date(),
    );
    ctx.audit.record({ actor: caller, action: 'scorecards.exemption.create', target: entityRef, meta: { id: exemption.id, ruleId: b.ruleId, scorecardId: b.scorecardId } });
    runtime.enqueue(entityRef);
    res.status(201).json(exemption);
  });

  // Asked for by an owner; counts for nothing until granted.
  router.post('/exemptions/requests', async (req, res) => {
    const caller = await ctx.auth.getCaller(req);
    const { approvedBy: _ignored, ...schemaProps } = exemptionBody.properties;
    const b = validateInput<{ entityRef: string; scorecardId: string; ruleId: string; reason: string; expiresAt: string }>({ ...exemptionBody, properties: schemaProps }, req.body, 'body');
    const entityRef = checkExemption(b);
    await ctx.permissions.assert(caller, { permission: 'scorecards.exemption.request', resourceRef: entityRef });
    const exemption = await store.addExemption(
      { entityRef, scorecardId: b.scorecardId, ruleId: b.ruleId, reason: b.reason, expiresAt: b.expiresAt, status: 'requested', requestedBy: caller.userEntityRef, approvedBy: null },
      new Date(),
    );
    ctx.audit.record({ actor: caller, action: 'scorecards.exemption.request', target: entityRef, meta: { id: exemption.id, ruleId: b.ruleId, scorecardId: b.scorecardId } });
    res.status(201).json(exemption);
  });

  router.post('/exemptions/:id/grant', async (req, res) => {
    const caller = await ctx.auth.getCaller(req);
    const id = String(req.params['id']);
    const existing = await store.exemption(id);
    if (!existing) throw new NotFoundError(`No exemption "${id}"`);
    await ctx.permissions.assert(caller, { permission: 'scorecards.exemption.create', resourceRef: existing.entityRef });
    if (existing.status === 'granted') throw new ConflictError(`Exemption "${id}" is already granted`);
    if (Date.parse(existing.expiresAt) <= Date.now()) throw new InputError(`Exemption "${id}" expired on ${existing.expiresAt}; ask for a new one`);
    const granted = await store.grantExemption(id, caller.userEntityRef, new Date());
    if (!granted) throw new ConflictError(`Exemption "${id}" is already granted`);
    ctx.audit.record({ actor: caller, action: 'scorecards.exemption.grant', target: granted.entityRef, meta: { id, ruleId: granted.ruleId, scorecardId: granted.scorecardId } });
    runtime.enqueue(granted.entityRef);
    res.json(granted);
  });

  // Revokes a granted exemption or turns down a request.
  router.delete('/exemptions/:id', async (req, res) => {
    const caller = await ctx.auth.getCaller(req);
    await ctx.permissions.assert(caller, { permission: 'scorecards.exemption.delete' });
    const removed = await store.deleteExemption(String(req.params['id']));
    if (!removed) throw new NotFoundError(`No exemption "${req.params['id']}"`);
    ctx.audit.record({ actor: caller, action: 'scorecards.exemption.delete', target: removed.entityRef, meta: { id: removed.id, status: removed.status } });
    if (removed.status === 'granted') runtime.enqueue(removed.entityRef);
    res.status(204).end();
  });

  router.post('/evaluate', async (req, res) => {
    const caller = await ctx.auth.getCaller(req);
    await ctx.permissions.assert(caller, { permission: 'scorecards.evaluate' });
    await ctx.triggerSweep();
    res.json({ lastSweep: runtime.lastSweep ?? null });
  });

  router.get('/status', async (req, res) => {
    await read(req);
    res.json({ lastSweep: runtime.lastSweep ?? null, errors: runtime.errors, facts: runtime.providers.map((p) => ({ provider: p.id, facts: p.facts })) });
  });
}
