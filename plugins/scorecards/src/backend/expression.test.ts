import { describe, expect, it } from 'vitest';
import { ConditionError, compileCondition, compileExpression, MAX_STRING_LENGTH, regexProblems, type EvaluationContext } from './expression.js';

const facts = new Set(['dependents', 'hasDescription', 'ownerResolves', 'techdocsBuilt', 'daysSinceChange']);
const ctx: EvaluationContext = {
  entity: {
    kind: 'Component',
    metadata: { name: 'payments', tags: ['java', 'pci'], annotations: { 'backstage.io/techdocs-ref': 'dir:.' }, description: '', labels: {} },
    spec: { owner: 'team-a', lifecycle: 'production', type: 'service', system: null, ports: [8080, 9090] },
  },
  facts: { dependents: 3, hasDescription: true, ownerResolves: false, techdocsBuilt: null, daysSinceChange: 12.5 },
  relations: { dependsOn: ['resource:default/db', 'component:default/authz'] },
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
  it('count of a missing relation type is an error, of null is 0', () => {
    expect(run('count(relations.ownedBy) == 0').ok).toBe(false);
    expect(value('count(entity.spec.system) == 0')).toBe(true);
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
    const r = compileExpression('size(entity.metadata.description)').evaluate({ ...ctx, entity: { metadata: { description: long } } });
    expect(r).toEqual({ ok: true, value: MAX_STRING_LENGTH });
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
