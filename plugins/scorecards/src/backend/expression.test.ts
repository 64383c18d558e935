import type { Entity } from '@atrium/catalog-model';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_RELATION_TYPES, relationsByType } from './engine.js';
import {
  ConditionError,
  compileCondition,
  compileExpression,
  MAX_COMPREHENSION_DEPTH,
  MAX_EVALUATION_STEPS,
  MAX_LIST_LENGTH,
  MAX_STRING_LENGTH,
  regexProblems,
  type EvaluationContext,
} from './expression.js';

const facts = {
  facts: new Set(['dependents', 'hasDescription', 'ownerResolves', 'techdocsBuilt', 'daysSinceChange']),
  relations: new Set(BUILT_IN_RELATION_TYPES),
};
const ctx: EvaluationContext = {
  entity: {
    kind: 'Component',
    metadata: { name: 'payments', tags: ['java', 'pci'], annotations: { 'backstage.io/techdocs-ref': 'dir:.' }, description: '', labels: {} },
    spec: { owner: 'team-a', lifecycle: 'production', type: 'service', system: null, ports: [8080, 9090] },
  },
  facts: { dependents: 3, hasDescription: true, ownerResolves: false, techdocsBuilt: null, daysSinceChange: 12.5 },
  relations: relationsByType({
    relations: [
      { type: 'dependsOn', targetRef: 'resource:default/db' },
      { type: 'dependsOn', targetRef: 'component:default/authz' },
    ],
  } as Entity),
  now: new Date('2026-11-01T00:00:00Z'),
};
const run = (expr: string) => compileCondition(expr, facts).evaluate(ctx);
const value = (expr: string) => {
  const r = run(expr);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
};

describe('conditions: operators', () => {
  it.each([
    ['facts.dependents == 3', true],
    ['facts.dependents != 3', false],
    ['facts.dependents > 2', true],
    ['facts.dependents >= 4', false],
    ['facts.dependents < 3.5', true],
    ['facts.daysSinceChange <= 12.5', true],
    ['entity.spec.lifecycle == "production"', true],
    ['entity.spec.lifecycle in ["production", "experimental"]', true],
    ['entity.spec.lifecycle in ["deprecated"]', false],
    ['"java" in entity.metadata.tags', true],
    ['"go" in entity.metadata.tags', false],
    ['entity.spec.owner.contains("team")', true],
    ['entity.spec.owner.startsWith("team-")', true],
    ['entity.metadata.name.matches("^pay[a-z]+$")', true],
    ['entity.metadata.name.matches("^x")', false],
    ['has(entity.spec.system)', true],
    ['has(entity.spec.domain)', false],
    ['exists(entity.spec.owner)', true],
    ['empty(entity.metadata.description)', true],
    ['empty(entity.metadata.labels)', true],
    ['empty(entity.spec.system)', true],
    ['exists(entity.metadata.tags)', true],
    ['count(relations.dependsOn) < 10', true],
    ['count(relations.dependsOn) == 2', true],
    ['size(entity.metadata.tags) == 2', true],
    ['entity.metadata.tags.all(t, t.size() > 2)', true],
    ['entity.metadata.tags.exists(t, t == "pci")', true],
    ['entity.spec.ports.exists(p, p == 8080)', true],
    ['!facts.ownerResolves', true],
    ['facts.hasDescription && !facts.ownerResolves', true],
    ['facts.ownerResolves || facts.hasDescription', true],
    ['facts.techdocsBuilt == null', true],
    ['facts.techdocsBuilt == true', false],
    ['"backstage.io/techdocs-ref" in entity.metadata.annotations', true],
    ['daysSince("2000-01-01") > 365.0', true],
    ['entity.metadata.tags.exists_one(t, t == "pci")', true],
    ['facts.dependents > 1 ? true : false', true],
    ['entity.metadata.annotations["backstage.io/techdocs-ref"] == "dir:."', true],
  ])('%s → %s', (expr, expected) => {
    expect(value(expr)).toBe(expected);
  });
});

describe('conditions: missing fields, nulls and types', () => {
  it('reports a field the entity does not have as not applicable, without throwing', () => {
    const r = run('entity.spec.domain == "x"');
    expect(r).toEqual({ ok: false, reason: expect.stringContaining('domain') });
  });
  it('guards with has() so a missing field is simply false', () => {
    expect(value('has(entity.spec.domain) && entity.spec.domain == "x"')).toBe(false);
  });
  it('every known relation type is present: count() of one the entity lacks is 0, and count(null) is 0', () => {
    expect(value('count(relations.ownedBy) == 0')).toBe(true);
    expect(value('count(relations.providesApi) > 0 || entity.spec.type == "website"')).toBe(false);
    expect(value('relations.providesApi.all(a, a.startsWith("api:"))')).toBe(true);
    expect(value('count(entity.spec.system) == 0')).toBe(true);
  });
  it('refuses relation types nobody declared, naming the known ones', () => {
    expect(() => compileCondition('count(relations.dependsOnn) > 0', facts)).toThrow(/unknown relation type "dependsOnn" \(known: .*dependsOn/);
  });
  it('a type mismatch at run time is an error, not a crash', () => {
    expect(run('entity.spec.lifecycle > 3').ok).toBe(false);
  });
  it('does not reach prototypes or host objects', () => {
    expect(run('entity.constructor == null').ok).toBe(false);
    expect(run('entity["__proto__"] == null').ok).toBe(false);
  });
  it('cuts very long strings before regexes see them', () => {
    const long = 'a'.repeat(MAX_STRING_LENGTH * 3);
    const r = compileExpression('size(entity.metadata.description)', facts).evaluate({ ...ctx, entity: { metadata: { description: long } } });
    expect(r).toEqual({ ok: true, value: MAX_STRING_LENGTH });
  });
});

describe('conditions: evaluation time', () => {
  it('daysSince() counts from the evaluation time, not the wall clock', () => {
    const c = compileCondition('daysSince("2026-10-22") == 10.0', facts);
    expect(c.evaluate(ctx)).toEqual({ ok: true, value: true });
    expect(c.evaluate({ ...ctx, now: new Date('2026-10-25T00:00:00Z') })).toEqual({ ok: true, value: false });
    expect(compileExpression('daysSince("2026-10-25")', facts).evaluate({ ...ctx, now: new Date('2026-10-25T12:00:00Z') })).toEqual({ ok: true, value: 0.5 });
  });
});

describe('conditions: cost', () => {
  const list = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`);
  const withList = (n: number): EvaluationContext => ({ ...ctx, entity: { spec: { l: list(n) } } });

  it('refuses comprehensions nested deeper than the limit, at load, saying how deep and why', () => {
    const nested4 = 'entity.spec.l.all(a, entity.spec.l.all(b, entity.spec.l.all(c, entity.spec.l.exists(d, a + b + c + d == ""))))';
    expect(() => compileCondition(nested4, facts)).toThrow(/comprehensions nested 3 deep \(all → all → all\); at most 2/);
    expect(() => compileCondition('entity.spec.l.map(a, entity.spec.l.filter(b, entity.spec.l.exists(c, c == b))).size() > 0', facts)).toThrow(ConditionError);
    expect(MAX_COMPREHENSION_DEPTH).toBe(2);
    // Two levels, and comprehensions side by side, are fine.
    expect(() => compileCondition('entity.spec.l.all(a, entity.spec.l.exists(b, a == b)) && entity.spec.l.all(a, a != "")', facts)).not.toThrow();
    // The `actual` expression is held to the same rule.
    expect(() => compileExpression('entity.spec.l.map(a, entity.spec.l.map(b, entity.spec.l.map(c, c)))', facts)).toThrow(/nested 3 deep/);
  });

  it('stops an evaluation that needs more steps than its budget, with a clear reason', () => {
    const c = compileCondition('entity.spec.l.all(a, entity.spec.l.all(b, a != "" && b != ""))', facts);
    expect(c.evaluate(withList(100))).toEqual({ ok: true, value: true }); // 10,100 steps
    const big = c.evaluate(withList(MAX_LIST_LENGTH)); // 1,001,000 steps
    expect(big).toEqual({ ok: false, reason: expect.stringContaining(`more than ${MAX_EVALUATION_STEPS.toLocaleString('en')} iterations`) });
  });

  it('reports a spent budget even where exists()/all() or || would swallow the error', () => {
    for (const expr of [
      'entity.spec.l.exists(a, entity.spec.l.exists(b, a == "nope" && b == "nope"))',
      'entity.spec.l.all(a, entity.spec.l.all(b, a != "")) || true',
      'entity.spec.l.exists(a, entity.spec.l.all(b, b != "x") && a == "nope") || true',
    ]) {
      expect(compileCondition(expr, facts).evaluate(withList(MAX_LIST_LENGTH)), expr).toEqual({ ok: false, reason: expect.stringContaining('cost limit') });
    }
  });

  it('gives each evaluation its own budget', () => {
    const c = compileCondition('entity.spec.l.all(a, entity.spec.l.all(b, a != ""))', facts);
    expect(c.evaluate(withList(MAX_LIST_LENGTH)).ok).toBe(false);
    expect(c.evaluate(withList(150))).toEqual({ ok: true, value: true });
  });

  it('cuts long lists before evaluation', () => {
    expect(compileExpression('size(entity.spec.l)', facts).evaluate(withList(MAX_LIST_LENGTH * 5))).toEqual({ ok: true, value: MAX_LIST_LENGTH });
  });
});

describe('conditions: rejected at load', () => {
  it.each([
    ['facts.dependents >', 'syntax'],
    ['facts.dependents ~ 3', 'unknown operator'],
    ['facts.nope == 1', 'unknown fact'],
    ['facts["nope"] == 1', 'unknown fact (index)'],
    ['foo.bar == 1', 'unknown variable'],
    ['launchMissiles()', 'unknown function'],
    ['entity.metadata.name.matches("(a+)+$")', 'catastrophic regex'],
    ['entity.metadata.name.matches("(x|x)*y")', 'catastrophic regex (alternation)'],
    ['entity.metadata.name.matches("[")', 'invalid regex'],
    ['entity.metadata.name.matches(entity.spec.owner)', 'non-literal regex'],
    ['facts.dependents + 1', 'not a boolean'],
    ['', 'empty'],
  ])('%s (%s)', (expr) => {
    expect(() => compileCondition(expr, facts)).toThrow(ConditionError);
  });
  it('names the unknown fact and the known ones', () => {
    expect(() => compileCondition('facts.nope', facts)).toThrow(/unknown fact "nope".*dependents/);
  });
  it('limits expression size', () => {
    const huge = Array.from({ length: 300 }, () => 'facts.dependents > 1').join(' && ');
    expect(() => compileCondition(huge, facts)).toThrow(ConditionError);
  });
});

describe('regexProblems', () => {
  it('accepts ordinary patterns and refuses nested quantifiers and long patterns', () => {
    expect(regexProblems('^[a-z0-9-]+$')).toEqual([]);
    expect(regexProblems('(a*)*')).toHaveLength(1);
    expect(regexProblems('a'.repeat(500))).toHaveLength(1);
  });
});
