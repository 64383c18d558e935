import { describe, expect, it } from 'vitest';
import { PolicyEvaluator } from './evaluator.js';
import { guest, testCatalogue, user } from './testCatalogue.fixture.js';

const READ = 'catalog.entity.read';

describe('queryConditions: the policy as a catalog filter for one caller', () => {
  it('an unconditional allow is all; no allow or an unconditional deny is none', () => {
    const e = new PolicyEvaluator(
      {
        roles: { ops: { members: ['group:default/ops'] } },
        rules: [
          { effect: 'allow', permissions: [READ] },
          { effect: 'deny', permissions: ['*'], roles: ['ops'] },
        ],
      },
      testCatalogue,
    );
    expect(e.queryConditions(user('jdoe'), READ)).toEqual({ result: 'all' });
    expect(e.queryConditions(guest, READ)).toEqual({ result: 'none' });
    expect(e.queryConditions(user('o', ['ops']), READ)).toEqual({ result: 'none' });
  });

  it('ownership compiles to relations.ownedby over the caller’s ownership refs', () => {
    const e = new PolicyEvaluator({ rules: [{ effect: 'allow', permissions: [READ], conditions: { isEntityOwner: true } }] }, testCatalogue);
    expect(e.queryConditions(user('jdoe', ['Team-A']), READ)).toEqual({
      result: 'filter',
      predicate: { 'relations.ownedby': { $in: ['user:default/jdoe', 'group:default/team-a'] } },
    });
  });

  it('several allows are OR-ed, denies subtracted, conditions of one rule AND-ed', () => {
    const e = new PolicyEvaluator(
      {
        rules: [
          { effect: 'allow', permissions: [READ], conditions: { kind: ['Component', 'API'], namespace: 'default' } },
          { effect: 'allow', permissions: ['catalog.*'], conditions: { hasLabel: ['tier=gold', 'public'] } },
          { effect: 'deny', permissions: [READ], conditions: { hasTag: 'secret' } },
          { effect: 'deny', permissions: [READ], conditions: { hasAnnotation: 'atrium.dev/hidden' } },
        ],
      },
      testCatalogue,
    );
    expect(e.queryConditions(user('jdoe'), READ)).toEqual({
      result: 'filter',
      predicate: {
        $all: [
          {
            $any: [
              { $all: [{ kind: { $in: ['component', 'api'] } }, { 'metadata.namespace': { $in: ['default'] } }] },
              { $any: [{ 'metadata.labels.tier': 'gold' }, { 'metadata.labels.public': { $exists: true } }] },
            ],
          },
          { $not: { $any: [{ 'metadata.tags': { $in: ['secret'] } }, { 'metadata.annotations.atrium.dev/hidden': { $exists: true } }] } },
        ],
      },
    });
  });

  it('an unconditional allow with a conditional deny is "everything but"', () => {
    const e = new PolicyEvaluator(
      {
        rules: [
          { effect: 'allow', permissions: [READ] },
          { effect: 'deny', permissions: [READ], conditions: { isEntityOwner: false, lifecycle: 'experimental' } },
        ],
      },
      testCatalogue,
    );
    expect(e.queryConditions(user('jdoe'), READ)).toEqual({
      result: 'filter',
      predicate: { $not: { $all: [{ $not: { 'relations.ownedby': { $in: ['user:default/jdoe'] } } }, { 'spec.lifecycle': { $in: ['experimental'] } }] } },
    });
  });
});
