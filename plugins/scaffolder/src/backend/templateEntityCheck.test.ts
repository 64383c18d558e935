import type { Entity, JsonValue } from '@atrium/catalog-model';
import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from './actions/builtin.js';
import { createLocalGitPullRequestChecker, createWaitActions, type CallbackSigner } from './tasks/waits.js';
import { templateStepProblems } from './templateEntityCheck.js';

const registry = createBuiltinRegistry({
  publish: {
    fileRemoteRoots: ['/nonexistent'],
    workDir: '/tmp',
    allowPrivateNetworks: false,
    defaultAuthor: { name: 'a', email: 'a@b' },
    defaultCommitMessage: 'x',
    timeoutMs: 1000,
  },
  httpAllowPrivateNetworks: false,
});
registry.registerPullRequestChecker(createLocalGitPullRequestChecker(['/nonexistent']));
// The signer is only used when a callback step starts waiting, which these checks never do.
for (const action of createWaitActions({ signer: {} as CallbackSigner, baseUrl: 'http://localhost', checkers: registry.pullRequestCheckers })) {
  registry.register(action);
}

const template = (steps: Array<Record<string, JsonValue>>, apiVersion = 'scaffolder.backstage.io/v1beta3'): Entity => ({
  apiVersion,
  kind: 'Template',
  metadata: { name: 't' },
  spec: { type: 'service', steps },
});

describe('templateStepProblems (the catalog check on registered Templates)', () => {
  it('finds nothing in a template whose steps can run', () => {
    expect(
      templateStepProblems(
        template([
          { id: 'log', action: 'debug:log', input: { message: 'hi' } },
          { id: 'later', action: 'wait:until', input: { duration: 'PT1M' } },
          { id: 'pr', action: 'wait:pull-request', input: { url: '${{ parameters.pr }}', pollInterval: 30 } },
          { id: 'ok', action: 'wait:approval', input: { groups: ['group:default/a'], remindEvery: 'PT1H' } },
          { id: 'rename', action: 'fs:rename', input: { files: '${{ parameters.files }}' } },
        ]),
        registry,
      ),
    ).toEqual([]);
  });

  it('names the step and the field of every problem: unknown actions, bad wait input, schema failures, cycles', () => {
    const problems = templateStepProblems(
      template([
        { id: 'first', action: 'debug:log', input: { message: '${{ steps.last.output.x }}' } },
        { id: 'nope', action: 'acme:does-not-exist' },
        { id: 'forever', action: 'wait:forever' },
        { id: 'soon', action: 'wait:until', input: { duration: 'soon' } },
        { id: 'both', action: 'wait:until', input: { duration: 5, until: '2030-01-01T00:00:00Z' } },
        { id: 'nobody', action: 'wait:approval', input: { count: 2 } },
        { id: 'elsewhere', action: 'wait:pull-request', input: { url: 'https://forge.example/acme/app/pull/1' } },
        { id: 'badschema', action: 'wait:callback', input: { schema: { type: 'no-such-type' } } },
        { id: 'rename', action: 'fs:rename', input: { files: [{ from: 'a' }] } },
        { id: 'slow', action: 'debug:log', timeout: 'forever' },
        { id: 'last', action: 'debug:log' },
      ]),
      registry,
    );
    const byField = Object.fromEntries(problems.map((p) => [p.field, p.message]));
    expect(byField).toEqual({
      'spec.steps[0].input': expect.stringMatching(/^step "first" refers to steps\.last, which runs after it/),
      'spec.steps[1].action': 'Step "nope", action: unknown action "acme:does-not-exist"',
      'spec.steps[2].action': expect.stringMatching(/^Step "forever", action: unknown wait action "wait:forever"/),
      'spec.steps[3].input.duration': expect.stringMatching(/^Step "soon", input\.duration: must be seconds or an ISO 8601 duration/),
      'spec.steps[4].input': 'Step "both", input: give exactly one of until (an ISO 8601 time) and duration',
      'spec.steps[5].input': 'Step "nobody", input: names no approvers: give groups, users or ownerOf',
      'spec.steps[6].input.url': expect.stringMatching(/^Step "elsewhere", input\.url: no pull request checker knows https:\/\/forge\.example/),
      'spec.steps[7].input.schema': expect.stringMatching(/^Step "badschema", input\.schema: is not a valid JSON Schema/),
      'spec.steps[8].input.files[0].to': 'Step "rename", input.files[0].to: is required',
      'spec.steps[9].timeout': expect.stringMatching(/^Step "slow", timeout: must be seconds/),
    });
  });

  it('leaves templates of older apiVersions to the run (refused there by name)', () => {
    expect(templateStepProblems(template([{ id: 'x', action: 'acme:nope' }], 'backstage.io/v1beta2'), registry)).toEqual([]);
  });

  it('reports two steps with one id on spec.steps', () => {
    expect(
      templateStepProblems(
        template([
          { id: 'a', action: 'debug:log' },
          { id: 'a', action: 'debug:log' },
        ]),
        registry,
      ),
    ).toEqual([{ field: 'spec.steps', message: 'Two steps share the id "a"' }]);
  });
});
