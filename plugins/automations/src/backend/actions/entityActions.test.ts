import type { Entity } from '@atrium/catalog-model';
import { describe, expect, it } from 'vitest';
import { compileAll } from '../definitions.js';
import { alreadyAnnotated, overlayChanges, overlaySource, renderAnnotate, renderScaffolder } from './entityActions.js';

const entity = (annotations: Record<string, string>, labels: Record<string, string> = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'a', annotations, labels },
  spec: {},
});
const values = (map: Record<string, unknown>) => (key: string) => map[key];

describe('annotate', () => {
  it('renders the target (the event entity by default, canonical) and the changes', () => {
    expect(
      renderAnnotate(
        { type: 'annotate' },
        values({ annotations: { 'x.io/a': 'b' }, labels: {}, removeAnnotations: [], removeLabels: ['t'] }),
        'Component:default/A',
        2,
      ),
    ).toEqual({
      entityRef: 'component:default/a',
      set: { annotations: { 'x.io/a': 'b' }, labels: {} },
      remove: { annotations: [], labels: ['t'] },
      hop: 2,
    });
    expect(() => renderAnnotate({ type: 'annotate' }, values({}), undefined, 1)).toThrow(/concerns no entity/);
    expect(() => renderAnnotate({ type: 'annotate', entityRef: 'x' }, values({ entityRef: 'no-kind' }), undefined, 1)).toThrow(/not an entity ref/);
  });

  it('knows when the entity already is as asked', () => {
    const r = { entityRef: 'component:default/a', set: { annotations: { k: 'v' }, labels: {} }, remove: { annotations: ['gone'], labels: [] } };
    expect(alreadyAnnotated(entity({ k: 'v' }), r)).toBe(true);
    expect(alreadyAnnotated(entity({ k: 'w' }), r)).toBe(false);
    expect(alreadyAnnotated(entity({ k: 'v', gone: '1' }), r)).toBe(false);
  });

  it("asks the catalog's overlay to set values and remove keys (null), as the automation's own source", () => {
    const r = {
      entityRef: 'component:default/a',
      set: { annotations: { 'x.io/k': 'v' }, labels: { tier: 'gold' } },
      remove: { annotations: ['x.io/old'], labels: [] },
    };
    expect(overlayChanges(r)).toEqual({ annotations: { 'x.io/k': 'v', 'x.io/old': null }, labels: { tier: 'gold' } });
    expect(overlaySource('ops.tier')).toBe('automation:ops.tier');
    expect(overlaySource('my rule!')).toBe('automation:my_rule_');
  });
});

describe('scaffolder', () => {
  it('renders the template ref with the kind defaulted, the values and the next hop', () => {
    expect(renderScaffolder({ type: 'scaffolder', template: 'ops/rotate' }, values({ values: { entity: 'component:default/a' } }), 2)).toEqual({
      templateRef: 'template:ops/rotate',
      values: { entity: 'component:default/a' },
      hop: 2,
    });
  });
});

describe('definitions of annotate and scaffolder actions', () => {
  const ctx = { customTriggers: new Set(['probe.ping']), secrets: new Set<string>(), unavailableActions: new Map<string, string>() };
  it('accepts valid ones and refuses empty changes, bad keys and templated template refs, each with the reason', () => {
    const [ok, empty, badKey, templated, noKind] = compileAll(
      [],
      [
        {
          id: 'ok',
          trigger: { type: 'probe.ping' },
          actions: [
            { type: 'annotate', annotations: { 'example.com/tier': '{{ event.payload.tier }}' }, removeLabels: ['old'] },
            { type: 'scaffolder', template: 'template:default/x', values: { name: '{{ event.payload.n }}' } },
          ],
        },
        { id: 'empty', trigger: { type: 'probe.ping' }, actions: [{ type: 'annotate', annotations: {} }] },
        { id: 'bad-key', trigger: { type: 'probe.ping' }, actions: [{ type: 'annotate', labels: { 'no spaces': 'x' } }] },
        { id: 'templated', trigger: { type: 'probe.ping' }, actions: [{ type: 'scaffolder', template: '{{ event.payload.t }}' }] },
        { id: 'no-name', trigger: { type: 'probe.ping' }, actions: [{ type: 'scaffolder', template: 'template:default/' }] },
      ],
      ctx,
    );
    expect(ok).toMatchObject({ enabled: true, errors: [] });
    expect(empty!.errors.join(' ')).toMatch(/annotate changes nothing/);
    expect(badKey!.enabled).toBe(false);
    expect(badKey!.errors.join(' ')).toMatch(/spec\.actions\.0\.labels/);
    expect(templated!.errors.join(' ')).toMatch(/template is a fixed Template ref/);
    expect(noKind!.errors.join(' ')).toMatch(/is not an entity ref/);
  });
});
