import { describe, expect, it } from 'vitest';
import { parseCron } from './cron.js';
import { compileAll } from './definitions.js';
import { compileCondition, compileTemplate } from './expression.js';
import { backoffMs, signBody } from './http.js';
import { chainEntityStates, stateBefore } from './engine.js';
import { fromLogEntry, type SourceEvent } from './source.js';
import type { Entity } from '@atrium/catalog-model';

const ctx = (over: Partial<{ event: Record<string, unknown>; entity: unknown; before: unknown; after: unknown }> = {}) => ({
  event: { type: 'entity.created', hop: 0 },
  entity: null,
  before: null,
  after: null,
  ...over,
});

describe('cron', () => {
  it('matches fields in UTC and finds the latest fire in a window', () => {
    const weekdays8 = parseCron('0 8 * * 1-5');
    expect(weekdays8.matches(new Date('2026-12-07T08:00:00Z'))).toBe(true); // Monday
    expect(weekdays8.matches(new Date('2026-12-06T08:00:00Z'))).toBe(false); // Sunday
    const every15 = parseCron('0-59/15 * * * *');
    expect(every15.latestIn(new Date('2026-12-06T10:01:00Z'), new Date('2026-12-06T10:40:30Z'))?.toISOString()).toBe('2026-12-06T10:30:00.000Z');
    expect(every15.latestIn(new Date('2026-12-06T10:31:00Z'), new Date('2026-12-06T10:44:59Z'))).toBeUndefined();
    expect(parseCron('0 0 1 1 7').matches(new Date('2026-01-04T00:00:00Z'))).toBe(true); // a Sunday (7), not the 1st: either day field matches
  });
  it('refuses malformed expressions with the field named', () => {
    expect(() => parseCron('* * *')).toThrow(/5 fields/);
    expect(() => parseCron('61 * * * *')).toThrow(/minute field "61" is out of range/);
    expect(() => parseCron('* * * * mon')).toThrow(/day of week field "mon" is not valid/);
  });
});

describe('CEL conditions and templates', () => {
  it('evaluates conditions over event, entity, before and after; refuses bad ones at compile time', () => {
    const c = compileCondition('before.spec.lifecycle != after.spec.lifecycle && event.hop < 3');
    expect(c.evaluate(ctx({ before: { spec: { lifecycle: 'a' } }, after: { spec: { lifecycle: 'b' } } }))).toBe(true);
    expect(() => compileCondition('entity.kind ==')).toThrow(/Unexpected token/);
    expect(() => compileCondition('entity.spec.enabled')).not.toThrow(); // dyn: checked at run time
    expect(() => compileCondition('entity.metadata.name + "x"')).toThrow(/must be a boolean, but it yields string/);
    expect(() => compileCondition('1 + 2')).toThrow(/must be a boolean, but it yields int/);
    expect(() => compileCondition('nope.x == 1')).toThrow(/nope/);
  });
  it('renders placeholders: a whole value keeps its type, text is interpolated', () => {
    const t = compileTemplate({ ref: '{{ event.entityRef }}', n: '{{ event.hop }}', text: 'hop {{ event.hop }} of {{ entity.metadata }}', fixed: 3 }, 'body');
    expect(t.render(ctx({ event: { entityRef: 'component:default/a', hop: 2 }, entity: { metadata: { name: 'a' } } }))).toEqual({
      ref: 'component:default/a',
      n: 2,
      text: 'hop 2 of {"name":"a"}',
      fixed: 3,
    });
    expect(() => compileTemplate('{{ entity. }}', 'text')).toThrow(/placeholder in text/);
  });
});

describe('signatures and backoff', () => {
  it('signs <timestamp>.<body> with HMAC-SHA256', () => {
    // Computed independently (Python's hmac module).
    expect(signBody('secret', '1700000000', '{"a":1}')).toBe('sha256=49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686');
    expect(signBody('secret', '1', 'x')).not.toBe(signBody('secret', '2', 'x'));
    expect(signBody('secret', '1', 'x')).toMatch(/^sha256=[0-9a-f]{64}$/);
  });
  it('doubles the cap per attempt up to the maximum, with half of it random', () => {
    expect(backoffMs(1, 1000, 300_000, () => 0)).toBe(500);
    expect(backoffMs(1, 1000, 300_000, () => 1)).toBe(1000);
    expect(backoffMs(4, 1000, 300_000, () => 0)).toBe(4000);
    expect(backoffMs(30, 1000, 300_000, () => 1)).toBe(300_000);
  });
});

describe('definitions', () => {
  const defs = { customTriggers: new Set(['probe.ping']), secrets: new Set(['hook']), unavailableActions: new Map([['annotate', 'not here']]) };
  it('compiles valid rules and disables invalid ones with every reason', () => {
    const [ok, bad, dup] = compileAll(
      [],
      [
        { id: 'ok', trigger: { type: 'probe.ping' }, actions: [{ type: 'webhook', url: 'https://example.com/x', secret: 'hook' }] },
        {
          id: 'bad',
          trigger: { type: 'schedule', cron: '* *' },
          condition: '1 +',
          actions: [
            { type: 'webhook', url: 'ftp://example.com', secret: 'missing' },
            { type: 'annotate', annotations: { a: 'b' } },
          ],
        },
        { id: 'ok', trigger: { type: 'probe.ping' }, actions: [{ type: 'emit', event: 'probe.ping' }] },
      ],
      defs,
    );
    expect(ok).toMatchObject({ id: 'ok', enabled: true, errors: [] });
    expect(bad!.enabled).toBe(false);
    expect(bad!.errors.join('\n')).toMatch(/5 fields/);
    expect(bad!.errors.join('\n')).toMatch(/condition "1 \+"/);
    expect(bad!.errors.join('\n')).toMatch(/url must be http\(s\), not ftp:/);
    expect(bad!.errors.join('\n')).toMatch(/secret "missing" is not under automations.secrets/);
    expect(bad!.errors.join('\n')).toMatch(/actions\[1\]: not here/);
    expect(dup).toMatchObject({ enabled: false, errors: ['duplicate id ok'] });
    const [schema] = compileAll([], [{ id: 's', trigger: { type: 'probe.ping' }, actions: [{ type: 'webhook' }], extra: 1 }], defs);
    expect(schema!.errors.join(' ')).toMatch(/spec.actions.0.url is required/);
    expect(schema!.errors.join(' ')).toMatch(/spec.extra is not an allowed property/);
  });
});

describe('event log entries', () => {
  it('maps catalog topics to triggers and keeps hop counts', () => {
    const e = fromLogEntry({
      id: '7',
      topic: 'catalog.entity.updated',
      payload: { entityRef: 'component:default/a', uid: 'u', changes: [{ path: ['spec', 'type'], old: 'a', new: 'b' }] },
      entityRef: 'component:default/a',
      actor: null,
      meta: { hop: 2 },
      createdAt: '2026-12-06T00:00:00.000Z',
      txid: '1',
    });
    expect(e).toMatchObject({
      key: 'log:7',
      type: 'entity.updated',
      hop: 2,
      payload: { entityRef: 'component:default/a', uid: 'u' },
      changes: [{ path: ['spec', 'type'], old: 'a', new: 'b' }],
    });
    expect(
      fromLogEntry({
        id: '8',
        topic: 'probe.ping',
        payload: { a: 1 },
        entityRef: null,
        actor: null,
        meta: null,
        createdAt: '2026-12-06T00:00:00.000Z',
        txid: '1',
      }),
    ).toMatchObject({ type: 'probe.ping', hop: 0, payload: { a: 1 } });
  });
});

describe('before and after of entity events (rebuilt from the log, nothing stored)', () => {
  const ev = (type: string, extra: Partial<SourceEvent> = {}): SourceEvent => ({
    key: 'log:1',
    type,
    time: '',
    entityRef: 'component:default/a',
    hop: 0,
    ...extra,
  });
  const base: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'a', annotations: { note: 'x' } },
    spec: { owner: 'team-a', deploy: { region: 'eu', tier: { level: 1 } } },
  };
  const level = (e: Entity | null | undefined) => (e?.spec?.['deploy'] as { tier: { level: number } } | undefined)?.tier.level;

  it('walks back from the version after the page: nested and removed paths get their old values, a later change is undone too', () => {
    const u1 = ev('entity.updated', {
      changes: [
        { path: ['metadata', 'annotations', 'note'], old: 'x' },
        { path: ['spec', 'deploy', 'tier', 'level'], old: 1, new: 2 },
      ],
    });
    const u2 = ev('entity.updated', { changes: [{ path: ['spec', 'owner'], old: 'team-a', new: 'team-b' }] });
    const later = ev('entity.updated', { changes: [{ path: ['spec', 'system'], new: 'payments' }] });
    const now: Entity = {
      ...base,
      metadata: { name: 'a', annotations: {} },
      spec: { owner: 'team-b', system: 'payments', deploy: { region: 'eu', tier: { level: 2 } } },
    };
    chainEntityStates([u1, u2], stateBefore(now, later));
    expect(u1.before).toEqual(base);
    const afterU1 = { ...base, metadata: { name: 'a', annotations: {} }, spec: { owner: 'team-a', deploy: { region: 'eu', tier: { level: 2 } } } };
    expect(u1.after).toEqual(afterU1);
    expect(u2.before).toEqual(afterU1);
    expect(u2.after).toEqual({ ...afterU1, spec: { ...afterU1.spec, owner: 'team-b' } });
    // The condition language sees exactly that.
    const c = compileCondition(
      '"note" in before.metadata.annotations && !("note" in after.metadata.annotations) && before.spec.deploy.tier.level < after.spec.deploy.tier.level',
    );
    expect(c.evaluate(ctx({ before: u1.before, after: u1.after }))).toBe(true);
  });

  it('starts from a creation or a deletion carried in the page, whatever the catalog holds now', () => {
    const created = ev('entity.created', { logEntity: base });
    const bump = ev('entity.updated', { changes: [{ path: ['spec', 'deploy', 'tier', 'level'], old: 1, new: 3 }] });
    const orphaned = ev('entity.orphaned', { logEntity: null });
    const deleted = ev('entity.deleted', { logEntity: { ...base, spec: { ...base.spec, deploy: { region: 'eu', tier: { level: 3 } } } } });
    chainEntityStates([created, bump, orphaned, deleted], { ...base, metadata: { name: 'unrelated' } });
    expect(created).toMatchObject({ before: null, after: base });
    expect(bump.before).toEqual(base);
    expect(level(bump.after)).toBe(3);
    expect(orphaned.before).toEqual(bump.after);
    expect(orphaned.after).toEqual(bump.after);
    expect(level(deleted.before)).toBe(3);
    expect(deleted.after).toBeNull();

    // An update before a deletion that carries the entity: walked back from the deleted version.
    const u0 = ev('entity.updated', { changes: [{ path: ['spec', 'deploy', 'tier', 'level'], old: 0, new: 1 }] });
    const gone = ev('entity.deleted', { logEntity: base });
    chainEntityStates([u0, gone], null);
    expect(level(u0.before)).toBe(0);
    expect(u0.after).toEqual(base);
    expect(gone).toMatchObject({ before: base, after: null });
  });

  it('gives null versions for an update of an entity that is gone without a trace in the log', () => {
    const u = ev('entity.updated', { changes: [{ path: ['spec', 'owner'], old: 'a', new: 'b' }] });
    chainEntityStates([u], null);
    expect(u).toMatchObject({ before: null, after: null });
  });
});
