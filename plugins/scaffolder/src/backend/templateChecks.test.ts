import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from './actions/builtin.js';
import { parseDurationMs } from './tasks/durable.js';
import { checkTemplateSteps, lineOfStepField } from './templateChecks.js';

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

describe('durations', () => {
  it('reads seconds and ISO 8601 durations, and nothing else', () => {
    expect(parseDurationMs(90)).toBe(90_000);
    expect(parseDurationMs('0.5')).toBe(500);
    expect(parseDurationMs('PT10M')).toBe(600_000);
    expect(parseDurationMs('P1DT2H')).toBe(26 * 3_600_000);
    expect(parseDurationMs('PT0.5S')).toBe(500);
    for (const bad of ['P', 'PT', '10 minutes', '-5', -1, 'P1Y', {}]) expect(parseDurationMs(bad), String(bad)).toBeUndefined();
  });
});

describe('template step checks', () => {
  const step = (id: string, input: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ id, name: id, action: 'debug:log', input, ...extra });

  it('refuses a step reading its own, a later or a missing step, in any expression form', () => {
    const errors = checkTemplateSteps(
      {
        steps: [
          step('a', { message: '${{ steps.b.output.x }}' }),
          step('b', { message: "${{ steps['b'].output.x }}" }),
          step('c', { message: '${{ steps.nope.output }}' }, { if: '${{ steps.a.output.ok }}' }),
        ],
      },
      registry,
    );
    expect(errors).toEqual([
      { path: 'spec.steps[0].input', message: expect.stringMatching(/runs after it/) },
      { path: 'spec.steps[1].input', message: expect.stringMatching(/its own output/) },
      { path: 'spec.steps[2].input', message: expect.stringMatching(/no step "nope"/) },
    ]);
  });

  it('accepts earlier steps, and refuses unknown wait actions and bad timeouts', () => {
    expect(checkTemplateSteps({ steps: [step('a', {}), step('b', { message: '${{ steps.a.output.x }}' })] }, registry)).toEqual([]);
    const errors = checkTemplateSteps({ timeout: 'soon', steps: [{ id: 'w', name: 'w', action: 'wait:forever', timeout: 'PT' }] }, registry);
    expect(errors.map((e) => e.path)).toEqual(['spec.timeout', 'spec.steps[0].action', 'spec.steps[0].timeout']);
  });
});

describe('lineOfStepField', () => {
  const source = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: other }
---
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: svc
spec:
  steps:
    - id: one
      action: debug:log
      input: { message: x }

    - id: two
      # a comment
      action: wait:forever
`;
  it('finds the step field in the document naming the template', () => {
    expect(lineOfStepField(source, 'svc', 0, 'input')).toBe(13);
    expect(lineOfStepField(source, 'svc', 1, 'action')).toBe(17);
    expect(lineOfStepField(source, 'svc', 1)).toBe(15);
    expect(lineOfStepField(source, 'svc', 2)).toBeUndefined();
    expect(lineOfStepField(source, 'missing', 0)).toBeUndefined();
  });
});
