import type { Entity } from '@atrium/catalog-model';
import { describe, expect, it } from 'vitest';
import { loadDefinitions, type RawDefinition } from './definitions.js';
import { BUILT_IN_RELATION_TYPES, evaluateScorecard, relationsByType } from './engine.js';
import { matchesSelector } from './selector.js';

const facts = { facts: new Set(['hasDescription', 'dependents']), relations: new Set(BUILT_IN_RELATION_TYPES) };
const spec = (rules: unknown[], extra: Record<string, unknown> = {}) => ({
  levels: [{ id: 'bronze', color: '#c00' }, { id: 'silver' }, { id: 'gold' }],
  rules,
  ...extra,
});
const rule = (id: string, level: string, condition: string, extra: Record<string, unknown> = {}) => ({ id, level, condition, ...extra });
const sc = (id: string, s: unknown): RawDefinition => ({ id, source: `test/${id}`, spec: s });

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'svc', namespace: 'default', tags: ['java'], description: 'x' },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  relations: [{ type: 'dependsOn', targetRef: 'resource:default/db' }],
};
const ctx = (e: Entity = entity, f: Record<string, unknown> = { hasDescription: true, dependents: 0 }) => ({
  entity: e,
  facts: f,
  relations: relationsByType(e),
  now: new Date('2026-11-01T00:00:00Z'),
});

describe('loadDefinitions', () => {
  it('loads a valid scorecard with defaults (title, weight, colours)', () => {
    const r = loadDefinitions([sc('prod', spec([rule('a', 'bronze', 'facts.hasDescription')]))], [], facts);
    expect(r.errors).toEqual([]);
    const d = r.scorecards[0]!.definition;
    expect(d.title).toBe('prod');
    expect(d.rules[0]!.weight).toBe(1);
    expect(d.levels.map((l) => l.color)).toEqual(['#c00', expect.any(String), expect.any(String)]);
  });

  it('rejects invalid conditions with scorecard, rule and reason; other scorecards still load', () => {
    const r = loadDefinitions(
      [sc('bad', spec([rule('ok', 'bronze', 'true'), rule('broken', 'bronze', 'facts.nope == 1')])), sc('good', spec([rule('a', 'bronze', 'true')]))],
      [],
      facts,
    );
    expect(r.scorecards.map((s) => s.definition.id)).toEqual(['good']);
    expect(r.errors).toEqual([{ source: 'test/bad', scorecard: 'bad', rule: 'broken', message: expect.stringContaining('unknown fact "nope"') }]);
  });

  it('rejects duplicate scorecard, rule and level ids, unknown levels and malformed specs', () => {
    const r = loadDefinitions(
      [
        sc('dup', spec([rule('a', 'bronze', 'true')])),
        sc('dup', spec([rule('a', 'bronze', 'true')])),
        sc('duprule', spec([rule('a', 'bronze', 'true'), rule('a', 'silver', 'true')])),
        sc('duplevel', { levels: [{ id: 'x' }, { id: 'x' }], rules: [rule('a', 'x', 'true')] }),
        sc('nolevel', spec([rule('a', 'platinum', 'true')])),
        sc('malformed', { levels: 'gold', rules: [{ id: 'a' }] }),
        sc('catastrophic', spec([rule('re', 'bronze', 'entity.metadata.name.matches("(a+)+b")')])),
      ],
      [],
      facts,
    );
    expect(r.scorecards.map((s) => s.definition.id)).toEqual(['dup']);
    const messages = r.errors.map((e) => `${e.scorecard}/${e.rule ?? ''}: ${e.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^dup\/: duplicate scorecard id/),
      expect.stringMatching(/^duprule\/a: duplicate rule id/),
      expect.stringMatching(/^duplevel\/: duplicate level id/),
      expect.stringMatching(/^nolevel\/a: level "platinum"/),
      expect.stringMatching(/^malformed\/: spec\.levels/),
      expect.stringMatching(/^catastrophic\/re: invalid condition: regex/),
    ]);
  });

  it('rejects a rule whose cost grows too fast (deeply nested comprehensions), naming scorecard, rule and reason', () => {
    const deep = 'entity.metadata.tags.all(a, entity.metadata.tags.all(b, entity.metadata.tags.all(c, entity.metadata.tags.exists(d, a == d))))';
    const r = loadDefinitions(
      [
        sc('costly', spec([rule('ok', 'bronze', 'true'), rule('n4', 'silver', deep)])),
        sc('slow-actual', spec([rule('a', 'bronze', 'true', { actual: deep })])),
      ],
      [],
      facts,
    );
    expect(r.scorecards).toEqual([]);
    expect(r.errors).toEqual([
      {
        source: 'test/costly',
        scorecard: 'costly',
        rule: 'n4',
        message: expect.stringMatching(/^invalid condition: comprehensions nested 3 deep \(all → all → all\); at most 2 are allowed/),
      },
      { source: 'test/slow-actual', scorecard: 'slow-actual', rule: 'a', message: expect.stringMatching(/^invalid actual: comprehensions nested 3 deep/) },
    ]);
  });

  it('validates initiatives against their scorecard', () => {
    const base = { scorecard: 'prod', owner: 'group:default/a', startDate: '2026-01-01', deadline: '2026-12-31' };
    const r = loadDefinitions(
      [sc('prod', spec([rule('a', 'bronze', 'true')]))],
      [
        sc('ok', { ...base, targetLevel: 'silver' }),
        sc('nosc', { ...base, scorecard: 'x', targetLevel: 'silver' }),
        sc('nolevel', { ...base, targetLevel: 'platinum' }),
        sc('norule', { ...base, rules: ['zzz'] }),
        sc('notarget', base),
        sc('ok', { ...base, rules: ['a'] }),
      ],
      facts,
    );
    expect(r.initiatives.map((i) => i.id)).toEqual(['ok']);
    expect(r.errors.map((e) => e.initiative)).toEqual(['nosc', 'nolevel', 'norule', 'notarget', 'ok']);
  });
});

describe('evaluateScorecard', () => {
  const load = (rules: unknown[]) => loadDefinitions([sc('s', spec(rules))], [], facts).scorecards[0]!;

  it('level = highest level whose rules and all lower levels pass; weighted points', () => {
    const s = load([
      rule('b1', 'bronze', 'facts.hasDescription', { weight: 10 }),
      rule('s1', 'silver', 'count(relations.dependsOn) > 5', { weight: 5, failureMessage: 'Add deps' }),
      rule('g1', 'gold', 'true', { weight: 3 }),
    ]);
    const r = evaluateScorecard(s, ctx(), new Set());
    expect(r.level).toBe('bronze'); // gold passes, but silver does not
    expect(r.points).toBe(13);
    expect(r.maxPoints).toBe(18);
    expect(r.rules.find((x) => x.ruleId === 's1')).toMatchObject({ status: 'fail', message: 'Add deps', actual: 'false' });
  });

  it('no level when the lowest level fails; a level without rules is reached when lower ones are', () => {
    expect(evaluateScorecard(load([rule('b', 'bronze', 'false')]), ctx(), new Set()).level).toBeNull();
    expect(evaluateScorecard(load([rule('b', 'bronze', 'true')]), ctx(), new Set()).level).toBe('gold');
  });

  it('a rule that cannot be evaluated is an error: not passed, and people read its failureMessage, not the engine', () => {
    const r = evaluateScorecard(
      load([rule('d', 'bronze', 'entity.spec.domain == "x"', { failureMessage: 'Set spec.domain', weight: 3 }), rule('e', 'bronze', 'entity.spec.nope == 1')]),
      ctx(),
      new Set(),
    );
    expect(r.rules[0]).toEqual({
      ruleId: 'd',
      status: 'error',
      actual: 'missing',
      message: 'Set spec.domain',
      detail: expect.stringContaining('No such key: domain'),
    });
    expect(r.rules[1]).toMatchObject({ status: 'error', message: 'This rule could not be checked for this entity.' });
    expect(r.rules.map((x) => x.message).join(' ')).not.toMatch(/No such key/);
    expect(r).toMatchObject({ level: null, points: 0, maxPoints: 4 });
  });

  it('exempt rules count as passed; rules before their effective date are upcoming, score nothing, and preview their outcome', () => {
    const s = load([
      rule('b', 'bronze', 'false', { weight: 2 }),
      rule('s', 'silver', 'false', { weight: 4, effectiveFrom: '2027-01-01', failureMessage: 'Do s' }),
      rule('g', 'gold', 'true', { weight: 8, effectiveFrom: '2027-01-01' }),
    ]);
    const r = evaluateScorecard(s, ctx(), new Set(['s/b']));
    expect(r.rules.map((x) => [x.status, x.preview])).toEqual([
      ['exempt', undefined],
      ['pending', 'fail'],
      ['pending', 'pass'], // even a passing upcoming rule is upcoming: it is not counted yet
    ]);
    expect(r.rules[1]!.message).toBe('Do s');
    expect(r.level).toBe('gold');
    expect(r).toMatchObject({ points: 2, maxPoints: 2 });
  });

  it('a rule counts from its effective date on, by the evaluation time', () => {
    const s = load([rule('s', 'bronze', 'false', { effectiveFrom: '2026-11-01' })]);
    expect(evaluateScorecard(s, { ...ctx(), now: new Date('2026-10-31T23:00:00Z') }, new Set()).rules[0]!.status).toBe('pending');
    expect(evaluateScorecard(s, ctx(), new Set()).rules[0]!.status).toBe('fail');
  });

  it('a rule whose filter does not select the entity is not applicable: no points, blocks nothing', () => {
    const s = load([rule('b', 'bronze', 'true', { weight: 2 }), rule('api', 'silver', 'false', { weight: 5, filter: { kind: 'API' } })]);
    const r = evaluateScorecard(s, ctx(), new Set());
    expect(r.rules[1]).toEqual({ ruleId: 'api', status: 'not-applicable' });
    expect(r).toMatchObject({ level: 'gold', points: 2, maxPoints: 2 });
    const api = { ...entity, kind: 'API' };
    expect(evaluateScorecard(s, ctx(api), new Set())).toMatchObject({ level: 'bronze', maxPoints: 7 });
  });

  it('relation types the entity has none of are empty lists, so the shipped relation rules fail or pass instead of erring', () => {
    const lonely: Entity = { ...entity, relations: [] };
    const s = load([
      rule('few-deps', 'bronze', 'count(relations.dependsOn) < 10'),
      rule('provides-api', 'silver', 'count(relations.providesApi) > 0 || entity.spec.type == "website"'),
    ]);
    const r = evaluateScorecard(s, ctx(lonely), new Set());
    expect(r.rules.map((x) => x.status)).toEqual(['pass', 'fail']);
    expect(relationsByType(lonely)).toMatchObject({ dependsOn: [], providesApi: [], ownedBy: [] });
    expect(relationsByType(lonely, ['runsOn'])).toEqual({ runsOn: [] });
  });

  it("shows the actual value from the rule's actual expression", () => {
    const r = evaluateScorecard(
      load([rule('c', 'bronze', 'count(relations.dependsOn) < 1', { actual: 'relations.dependsOn', expected: 'none' })]),
      ctx(),
      new Set(),
    );
    expect(r.rules[0]).toMatchObject({ status: 'fail', actual: '["resource:default/db"]', expected: 'none' });
  });
});

describe('matchesSelector', () => {
  it('ANDs keys, ORs list values, case-insensitively, with shorthands and dot paths', () => {
    expect(matchesSelector(entity, { kind: 'component', type: ['service', 'website'] })).toBe(true);
    expect(matchesSelector(entity, { kind: 'component', lifecycle: 'experimental' })).toBe(false);
    expect(matchesSelector(entity, { tags: ['go', 'JAVA'] })).toBe(true);
    expect(matchesSelector(entity, { 'spec.owner': 'team-a', namespace: 'default' })).toBe(true);
    expect(matchesSelector(entity, { 'spec.system': 'x' })).toBe(false);
    expect(matchesSelector(entity, {})).toBe(true);
  });
});
