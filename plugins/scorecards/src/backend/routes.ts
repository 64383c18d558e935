import { InputError, NotFoundError, validateInput, type AuthService, type PermissionsService, type AuditService } from '@atrium/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@atrium/catalog-model';
import type { CatalogService } from '@atrium/plugin-catalog/backend';
import type { Request, Router } from 'express';
import type { EntityResultsResponse, ListScorecardsResponse, ScorecardSummary } from '../common/index.js';
import { levelRank } from '../common/index.js';
import { initiativeProgress } from './initiatives.js';
import { groupRollups, ownerRollups } from './rollups.js';
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
      const rulePassRates: Record<string, { passed: number; total: number }> = {};
      let entityCount = 0;
      for (const o of owners) {
        entityCount += o.entityCount;
        for (const [l, n] of Object.entries(o.levels)) levelDistribution[l] = (levelDistribution[l] ?? 0) + n;
        for (const [r, x] of Object.entries(o.rulePassRates)) {
          const t = (rulePassRates[r] ??= { passed: 0, total: 0 });
          t.passed += x.passed;
          t.total += x.total;
        }
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
        return s ? [{ ...r, scorecard: s.definition }] : [];
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
        if (rr.status !== 'fail' && rr.status !== 'error') continue;
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
    res.json({ owner, results, items: sorted });
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
      const failing = r.rules.filter((x) => x.status === 'fail' || x.status === 'error').map((x) => x.ruleId).join(' ');
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
    const q = validateInput<{ entityRef?: string }>({ type: 'object', properties: { entityRef: { type: 'string' } } }, { ...req.query }, 'query');
    res.json({ items: await store.activeExemptions(new Date(), q.entityRef ? normaliseRef(q.entityRef) : undefined) });
  });

  router.post('/exemptions', async (req, res) => {
    const caller = await ctx.auth.getCaller(req);
    const b = validateInput<{ entityRef: string; scorecardId: string; ruleId: string; reason: string; expiresAt: string; approvedBy?: string }>(
      {
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
      },
      req.body,
      'body',
    );
    const entityRef = normaliseRef(b.entityRef);
    await ctx.permissions.assert(caller, { permission: 'scorecards.exemption.create', resourceRef: entityRef });
    const s = scorecardOr404(b.scorecardId);
    if (!s.definition.rules.some((r) => r.id === b.ruleId)) throw new InputError(`Scorecard "${b.scorecardId}" has no rule "${b.ruleId}"`);
    if (Date.parse(b.expiresAt) <= Date.now()) throw new InputError('expiresAt must be in the future');
    const exemption = await store.addExemption({ entityRef, scorecardId: b.scorecardId, ruleId: b.ruleId, reason: b.reason, expiresAt: b.expiresAt, approvedBy: b.approvedBy ?? caller.userEntityRef }, new Date());
    ctx.audit.record({ actor: caller, action: 'scorecards.exemption.create', target: entityRef, meta: { id: exemption.id, ruleId: b.ruleId, scorecardId: b.scorecardId } });
    runtime.enqueue(entityRef);
    res.status(201).json(exemption);
  });

  router.delete('/exemptions/:id', async (req, res) => {
    const caller = await ctx.auth.getCaller(req);
    await ctx.permissions.assert(caller, { permission: 'scorecards.exemption.delete' });
    const removed = await store.deleteExemption(String(req.params['id']));
    if (!removed) throw new NotFoundError(`No exemption "${req.params['id']}"`);
    ctx.audit.record({ actor: caller, action: 'scorecards.exemption.delete', target: removed.entityRef, meta: { id: removed.id } });
    runtime.enqueue(removed.entityRef);
    res.status(204).end();
  });

  router.get('/notifications', async (req, res) => {
    const caller = await ctx.auth.getCaller(req);
    const q = validateInput<{ recipient?: string; limit: number }>(
      { type: 'object', properties: { recipient: { type: 'string' }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } } },
      { ...req.query },
      'query',
    );
    const recipients = q.recipient ? [normaliseRef(q.recipient)] : caller.ownershipEntityRefs.map((r) => r.toLowerCase());
    res.json({ items: await store.notifications(recipients, q.limit) });
  });

  router.post('/notifications/:id/read', async (req, res) => {
    await read(req);
    if (!(await store.markNotificationRead(String(req.params['id']), new Date()))) throw new NotFoundError(`No notification "${req.params['id']}"`);
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
