import type { Entity } from '@atrium/catalog-model';
import { describe, expect, it } from 'vitest';
import { loadDefinitions, type RawDefinition } from './definitions.js';
import { evaluateScorecard, relationsByType } from './engine.js';
import { matchesSelector } from './selector.js';

const facts = new Set(['hasDescription', 'dependents']);
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
const ctx = (e: Entity = entity, f: Record<string, unknown> = { hasDescription: true, dependents: 0 }) => ({ entity: e, facts: f, relations: relationsByType(e), now: new Date('2026-11-01T00:00:00Z') });

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

  it('a missing field is an error (not applicable), counted as not passed', () => {
    const r = evaluateScorecard(load([rule('d', 'bronze', 'entity.spec.domain == "x"')]), ctx(), new Set());
    expect(r.rules[0]).toMatchObject({ status: 'error', message: expect.stringContaining('Not applicable') });
    expect(r.level).toBeNull();
  });

  it('exempt rules count as passed; rules before their effective date are pending and score nothing', () => {
    const s = load([rule('b', 'bronze', 'false', { weight: 2 }), rule('s', 'silver', 'false', { weight: 4, effectiveFrom: '2027-01-01' })]);
    const r = evaluateScorecard(s, ctx(), new Set(['s/b']));
    expect(r.rules.map((x) => x.status)).toEqual(['exempt', 'pending']);
    expect(r.level).toBe('gold');
    expect(r).toMatchObject({ points: 2, maxPoints: 2 });
  });

  it('shows the actual value from the rule\'s actual expression', () => {
    const r = evaluateScorecard(load([rule('c', 'bronze', 'count(relations.dependsOn) < 1', { actual: 'relations.dependsOn', expected: 'none' })]), ctx(), new Set());
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
