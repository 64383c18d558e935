import { randomUUID } from 'node:crypto';
import type { Db, Logger } from '@atrium/backend-plugin-api';
import type { Entity } from '@atrium/catalog-model';
import type { CatalogService } from '@atrium/plugin-catalog/backend';
import type { Knex } from 'knex';
import { AUTOMATION_HOP_HEADER, type AutomationEvent, type RunStatus } from '../common/index.js';
import type { AutomationsConfig } from './config.js';
import type { Automation, CompiledAction } from './definitions.js';
import type { ExpressionContext } from './expression.js';
import { applyEntityChanges as applyChanges } from '@atrium/plugin-catalog/common';
import { ENTITY_TRIGGERS, type EventSource, type PathChange, type SourceEvent } from './source.js';
import { renderAnnotate, renderScaffolder } from './actions/entityActions.js';

// The catalog's helper, typed with our view of a change (its common module names another type EntityChange).
const applyEntityChanges = applyChanges as unknown as <T>(before: T, changes: readonly PathChange[]) => T;

export const CURSOR = 'events';
const BATCH = 500;

/** A rendered action: what a delivery sends, fixed when the run is created so retries resend it unchanged. */
export interface RenderedAction {
  type: string;
  maxAttempts: number;
  request: Record<string, unknown>;
}

export interface RunPlan {
  status: RunStatus;
  reason?: string;
  actions: RenderedAction[];
}

export interface EngineDeps {
  db: Db;
  config: AutomationsConfig;
  logger: Logger;
  catalog: CatalogService;
  source: EventSource;
  /** The current definitions (valid or not). */
  automations(): Automation[];
}

function toEvent(e: SourceEvent): AutomationEvent {
  return {
    id: e.key,
    type: e.type,
    time: e.time,
    ...(e.entityRef ? { entityRef: e.entityRef } : {}),
    ...(e.payload !== undefined ? { payload: e.payload } : {}),
    hop: e.hop,
  };
}

export function contextOf(e: SourceEvent, entity: Entity | null | undefined): ExpressionContext {
  return {
    event: toEvent(e) as unknown as Record<string, unknown>,
    entity: e.after ?? e.before ?? entity ?? null,
    before: e.before ?? null,
    after: e.after ?? null,
  };
}

/**
 * Follows the event source with one cursor shared by every replica (a row in `cursors`), decides
 * which automations an event triggers and records each run with its deliveries. A run is keyed on
 * (automation, event): the unique index makes a second replica's attempt at the same pair a
 * no-op, so each automation runs once per event however many replicas follow the log.
 */
export class Engine {
  constructor(private readonly deps: EngineDeps) {}

  async ensureCursor(): Promise<void> {
    const { db, source } = this.deps;
    const exists = await db('cursors').where({ consumer: CURSOR }).first();
    if (exists) return;
    await db('cursors')
      .insert({ consumer: CURSOR, position: await source.head() })
      .onConflict('consumer')
      .ignore();
  }

  private async paused(): Promise<Set<string>> {
    const rows = (await this.deps.db('automation_state').where({ paused: true }).select('automation_id')) as Array<{ automation_id: string }>;
    return new Set(rows.map((r) => r.automation_id));
  }

  /** Handles one batch of events; returns how many were read (0: nothing new, or another replica has the cursor). */
  async consumeOnce(): Promise<number> {
    const { db, source, catalog } = this.deps;
    const cursor = (await db('cursors').where({ consumer: CURSOR }).first()) as { position: string } | undefined;
    if (!cursor) return 0;
    const { events, position } = await source.read(cursor.position, BATCH);
    if (events.length === 0) {
      // A page of nothing but events of other topics still moves the horizon on.
      if (position !== cursor.position)
        await db('cursors').where({ consumer: CURSOR, position: cursor.position }).update({ position, updated_at: db.fn.now() });
      return 0;
    }
    const paused = await this.paused();
    const byType = new Map<string, Automation[]>();
    for (const a of this.deps.automations()) {
      if (!a.enabled || paused.has(a.id)) continue;
      const list = byType.get(a.spec.trigger.type) ?? [];
      list.push(a);
      byType.set(a.spec.trigger.type, list);
    }
    await this.entityStates(events, position, (type) => byType.has(type));

    // Entities of events that carry none (a TechDocs build), read before the transaction.
    const wanted = [
      ...new Set(events.filter((e) => byType.has(e.type) && e.entityRef && e.after === undefined && e.before === undefined).map((e) => e.entityRef!)),
    ];
    const fetched = new Map<string, Entity>();
    if (wanted.length) {
      const found = await catalog.getEntitiesByRefs(wanted);
      wanted.forEach((ref, i) => found[i] && fetched.set(ref, found[i]!));
    }
    const planned: Array<{ automation: Automation; event: SourceEvent; plan: RunPlan }> = [];
    for (const event of events) {
      for (const automation of byType.get(event.type) ?? []) {
        const plan = this.plan(automation, event, event.entityRef ? fetched.get(event.entityRef) : undefined);
        if (plan) planned.push({ automation, event, plan });
      }
    }
    return db.transaction(async (trx) => {
      const locked = (await trx('cursors').where({ consumer: CURSOR }).forUpdate().skipLocked().first()) as { position: string } | undefined;
      // Another replica holds the cursor, or moved it since we read: it handles (or handled) this batch.
      if (!locked || locked.position !== cursor.position) return 0;
      await this.recordRuns(
        trx,
        planned.map((p) => ({ automationId: p.automation.id, event: p.event, plan: p.plan })),
      );
      await trx('cursors').where({ consumer: CURSOR }).update({ position, updated_at: trx.fn.now() });
      return events.length;
    });
  }

  /**
   * Fills `before` and `after` of the page's entity events that an automation listens to, and of
   * the other events of those entities in the page (they chain). Nothing is stored: a creation
   * carries the whole entity, a deletion the last served one, and an update each changed path
   * with its old and new value, so the versions are rebuilt from the log. An entity whose page
   * carries no whole version starts from the catalog's current version with the changes logged
   * after the page undone. The log is read after the catalog: a change committed in between is
   * undone from a version that never had it, which sets its paths to the values they already
   * have. (A change the log does not show yet, committed while another transaction holds its
   * horizon back, is not undone: its paths keep their newer values in the unchanged part.)
   */
  private async entityStates(events: SourceEvent[], position: string, listened: (type: string) => boolean): Promise<void> {
    const { source, catalog } = this.deps;
    const refs = new Set(events.filter((e) => ENTITY_TRIGGERS.has(e.type) && e.entityRef && listened(e.type)).map((e) => e.entityRef!));
    if (refs.size === 0) return;
    const byRef = new Map<string, SourceEvent[]>();
    for (const e of events) {
      if (!ENTITY_TRIGGERS.has(e.type) || !e.entityRef || !refs.has(e.entityRef)) continue;
      const list = byRef.get(e.entityRef) ?? [];
      list.push(e);
      byRef.set(e.entityRef, list);
    }
    const unanchored = [...byRef].filter(([, list]) => list.findIndex(carriesWholeEntity) === -1).map(([ref]) => ref);
    const latest = new Map<string, Entity | null>();
    for (let i = 0; i < unanchored.length; i += 1000) {
      const chunk = unanchored.slice(i, i + 1000);
      const found = await catalog.getEntitiesByRefs(chunk);
      chunk.forEach((ref, j) => latest.set(ref, found[j] ?? null));
    }
    const later =
      unanchored.length && source.entityEventsAfter
        ? await source.entityEventsAfter(position, unanchored, events.length >= BATCH)
        : new Map<string, SourceEvent[]>();
    for (const [ref, list] of byRef) {
      let state = latest.get(ref) ?? null;
      for (const e of [...(later.get(ref) ?? [])].reverse()) state = stateBefore(state, e);
      chainEntityStates(list, state);
    }
  }

  /**
   * What an automation does with an event: undefined when its condition is false, a run that is
   * stopped (loop) or failed (condition or placeholder error), or the rendered actions.
   */
  plan(automation: Automation, event: SourceEvent, entity?: Entity | null): RunPlan | undefined {
    const ctx = contextOf(event, entity);
    if (event.hop > this.deps.config.maxHops) {
      return {
        status: 'loop-stopped',
        reason: `stopped: this event is ${event.hop} automation steps from its origin (automations.maxHops is ${this.deps.config.maxHops}); an automation probably triggers itself`,
        actions: [],
      };
    }
    if (automation.condition) {
      let value: unknown;
      try {
        value = automation.condition.evaluate(ctx);
      } catch (e) {
        return { status: 'condition-error', reason: `condition could not be evaluated: ${(e as Error).message.split('\n')[0]}`, actions: [] };
      }
      if (value !== true) return undefined;
    }
    try {
      return { status: 'running', actions: automation.actions.map((a) => this.render(a, ctx, event)) };
    } catch (e) {
      return { status: 'failed', reason: `could not render the actions: ${(e as Error).message.split('\n')[0]}`, actions: [] };
    }
  }

  private render(action: CompiledAction, ctx: ExpressionContext, event: SourceEvent): RenderedAction {
    const { config } = this.deps;
    const t = (key: string) => action.templates[key]!.render(ctx);
    const spec = action.spec;
    const hop = String(event.hop + 1);
    switch (spec.type) {
      case 'webhook':
        return {
          type: 'webhook',
          maxAttempts: spec.maxAttempts ?? config.defaultMaxAttempts,
          request: {
            method: spec.method ?? 'POST',
            url: String(t('url')),
            headers: { ...stringRecord(t('headers')), [AUTOMATION_HOP_HEADER]: hop },
            body: t('body'),
            timeoutMs: spec.timeoutMs ?? config.defaultTimeoutMs,
            ...(spec.secret ? { secret: spec.secret } : {}),
          },
        };
      case 'slack':
      case 'teams': {
        const text = String(t('text'));
        const body =
          spec.type === 'slack' ? { text } : { '@type': 'MessageCard', '@context': 'https://schema.org/extensions', summary: text.slice(0, 200), text };
        return {
          type: spec.type,
          maxAttempts: spec.maxAttempts ?? config.defaultMaxAttempts,
          request: {
            method: 'POST',
            url: String(t('url')),
            headers: { [AUTOMATION_HOP_HEADER]: hop },
            body,
            timeoutMs: spec.timeoutMs ?? config.defaultTimeoutMs,
          },
        };
      }
      case 'notify': {
        const recipients = (t('recipients') as unknown[]).map(String);
        if (spec.owner) {
          const owner = (ctx.entity as Entity | null)?.spec?.['owner'];
          if (typeof owner !== 'string' || !owner) throw new Error('notify: owner: true, but the entity has no spec.owner');
          recipients.push(owner.includes(':') ? owner : `group:${owner}`);
        }
        const link = String(t('link'));
        const description = String(t('description'));
        return {
          type: 'notify',
          maxAttempts: config.defaultMaxAttempts,
          request: {
            recipients: [...new Set(recipients)],
            title: String(t('title')),
            ...(description ? { description } : {}),
            ...(link ? { link } : {}),
            severity: spec.severity ?? 'normal',
            ...(event.entityRef ? { entityRef: event.entityRef } : {}),
          },
        };
      }
      case 'email':
        return {
          type: 'email',
          maxAttempts: config.defaultMaxAttempts,
          request: { to: (t('to') as unknown[]).map(String), subject: String(t('subject')), text: String(t('text')) },
        };
      case 'emit':
        return { type: 'emit', maxAttempts: 1, request: { event: spec.event, payload: t('payload'), entityRef: event.entityRef ?? null, hop: event.hop + 1 } };
      case 'annotate':
        return { type: 'annotate', maxAttempts: 1, request: { ...renderAnnotate(spec, t, event.entityRef, event.hop + 1) } };
      case 'scaffolder':
        return { type: 'scaffolder', maxAttempts: config.defaultMaxAttempts, request: { ...renderScaffolder(spec, t, event.hop + 1) } };
      default:
        throw new Error(`the ${(spec as { type: string }).type} action is not available`);
    }
  }

  /** Inserts the run and its deliveries unless this (automation, event) already ran. */
  async recordRun(trx: Knex.Transaction | Db, automationId: string, event: SourceEvent, plan: RunPlan): Promise<string | undefined> {
    return (await this.recordRuns(trx, [{ automationId, event, plan }]))[0];
  }

  /** Many runs in a few multi-row inserts; returns the ids of those inserted (a pair that already ran is skipped). */
  async recordRuns(trx: Knex.Transaction | Db, items: Array<{ automationId: string; event: SourceEvent; plan: RunPlan }>): Promise<string[]> {
    const inserted: string[] = [];
    for (let i = 0; i < items.length; i += 200) {
      const chunk = items.slice(i, i + 200).map((x) => ({ ...x, id: randomUUID() }));
      const rows = chunk.map((x) => ({
        id: x.id,
        automation_id: x.automationId,
        event_key: x.event.key,
        event: JSON.stringify(toEvent(x.event)),
        status: x.plan.status === 'running' && x.plan.actions.length === 0 ? 'succeeded' : x.plan.status,
        reason: x.plan.reason ?? null,
        hop: x.event.hop,
      }));
      const ids = new Set(
        ((await trx('runs').insert(rows).onConflict(['automation_id', 'event_key']).ignore().returning('id')) as Array<{ id: string }>).map((r) => r.id),
      );
      const deliveries = chunk
        .filter((x) => ids.has(x.id))
        .flatMap((x) =>
          x.plan.actions.map((a, index) => ({
            id: randomUUID(),
            run_id: x.id,
            automation_id: x.automationId,
            action_index: index,
            action_type: a.type,
            idempotency_key: `${x.id}:${index}`,
            status: 'pending',
            max_attempts: a.maxAttempts,
            request: JSON.stringify(a.request),
          })),
        );
      for (let j = 0; j < deliveries.length; j += 500) await trx('deliveries').insert(deliveries.slice(j, j + 500));
      inserted.push(...chunk.filter((x) => ids.has(x.id)).map((x) => x.id));
    }
    return inserted;
  }

  /**
   * `schedule` and `entity.timer` triggers; called by a scheduled job, so by one replica per tick.
   * A fire is keyed on (automation, scheduled minute) or (automation, entity, date), so it runs once.
   */
  async fireTimers(now: Date): Promise<number> {
    const { db, catalog, logger } = this.deps;
    const paused = await this.paused();
    let fired = 0;
    for (const a of this.deps.automations()) {
      if (!a.enabled || paused.has(a.id)) continue;
      if (a.cron) {
        const state = (await db('automation_state').where({ automation_id: a.id }).first()) as { last_schedule_at: Date | null } | undefined;
        const last = state?.last_schedule_at ? new Date(state.last_schedule_at) : undefined;
        await db('automation_state').insert({ automation_id: a.id, last_schedule_at: now }).onConflict('automation_id').merge({ last_schedule_at: now });
        if (!last) continue; // first sight: start from now, do not replay
        const at = a.cron.latestIn(last, now);
        if (!at) continue;
        const event: SourceEvent = {
          key: `schedule:${at.toISOString()}`,
          type: 'schedule',
          time: at.toISOString(),
          payload: { scheduledAt: at.toISOString(), cron: a.cron.source },
          hop: 0,
        };
        const plan = this.plan(a, event, null);
        if (plan && (await db.transaction((trx) => this.recordRun(trx, a.id, event, plan)))) fired++;
      }
      if (a.timerField) {
        const filter = a.spec.trigger.filter ?? {};
        let items: Entity[];
        try {
          items = (await catalog.getEntities({ filter, limit: 10_000 })).items;
        } catch (e) {
          logger.warn({ err: e, automation: a.id }, 'entity.timer: could not list entities');
          continue;
        }
        const offset = (a.spec.trigger.offsetSeconds ?? 0) * 1000;
        for (const entity of items) {
          const ref = `${entity.kind}:${entity.metadata.namespace ?? 'default'}/${entity.metadata.name}`.toLowerCase();
          let value: unknown;
          try {
            value = a.timerField.evaluate({ event: {}, entity, before: null, after: null });
          } catch {
            continue; // the field is missing on this entity
          }
          const due = typeof value === 'string' ? Date.parse(value) : NaN;
          if (Number.isNaN(due) || due - offset > now.getTime()) continue;
          const date = new Date(due).toISOString();
          const event: SourceEvent = {
            key: `timer:${ref}:${date}`,
            type: 'entity.timer',
            time: now.toISOString(),
            entityRef: ref,
            payload: { dueAt: date },
            hop: 0,
          };
          const plan = this.plan(a, event, entity);
          if (plan && (await db.transaction((trx) => this.recordRun(trx, a.id, event, plan)))) fired++;
        }
      }
    }
    return fired;
  }
}

/** A creation, or a deletion that carries the last served entity: the page then needs no other version of it. */
const carriesWholeEntity = (e: SourceEvent): boolean => (e.type === 'entity.created' || e.type === 'entity.deleted') && Boolean(e.logEntity);

const undoChanges = (entity: Entity, changes: readonly PathChange[]): Entity =>
  applyEntityChanges(
    entity,
    changes.map((c) => ({ path: c.path, ...('new' in c ? { old: c.new } : {}), ...('old' in c ? { new: c.old } : {}) })),
  );

/** The entity just before `e`, given the entity just after it (null: not in the catalog). */
export function stateBefore(after: Entity | null, e: SourceEvent): Entity | null {
  switch (e.type) {
    case 'entity.created':
      return null;
    case 'entity.deleted':
      return e.logEntity ?? null;
    case 'entity.updated':
      return after ? undoChanges(after, e.changes ?? []) : null;
    default:
      return after; // orphaned: the served entity is unchanged (its orphan annotation comes with the next update)
  }
}

/**
 * Sets `before` and `after` of one entity's events, in log order. `stateAfterAll` is the entity
 * just after the last of them; it is used only when none of them carries a whole version (a
 * creation, a deletion with the last served entity), and then walked back through them.
 */
export function chainEntityStates(list: readonly SourceEvent[], stateAfterAll: Entity | null): void {
  const whole = list.findIndex(carriesWholeEntity);
  let state = whole === -1 ? stateAfterAll : stateBefore(null, list[whole]!);
  for (let i = (whole === -1 ? list.length : whole) - 1; i >= 0; i--) state = stateBefore(state, list[i]!);
  for (const e of list) {
    if (e.type === 'entity.created') {
      e.before = null;
      e.after = e.logEntity ?? null;
    } else if (e.type === 'entity.updated') {
      // The changed paths get the logged new values even when a later change (outside the page) moved them on.
      e.before = state;
      e.after = state ? applyEntityChanges(state, e.changes ?? []) : null;
    } else if (e.type === 'entity.deleted') {
      e.before = e.logEntity ?? state;
      e.after = null;
    } else {
      e.before = state;
      e.after = e.logEntity ?? state;
    }
    state = e.after ?? null;
  }
}

function stringRecord(v: unknown): Record<string, string> {
  if (!v || typeof v !== 'object') return {};
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, typeof x === 'string' ? x : JSON.stringify(x)]));
}
