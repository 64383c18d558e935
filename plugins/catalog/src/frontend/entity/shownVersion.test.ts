import type { Entity, EntityStatusItem } from '@atrium/catalog-model';
import { describe, expect, it } from 'vitest';
import { asDescriptor, judgeShownVersion, problemOfItem, processingErrorItems } from './shownVersion';

const KNOWN = 'known: wait:approval, wait:callback, wait:until, wait:pull-request';
const waitMessage = `Step "pause", action: unknown wait action "wait:untill" (${KNOWN})`;

/** A processing error as the catalog stores it (toStatusItem in the catalog's backend). */
const item = (message: string, where: { file?: string; line?: number; field?: string } = {}): EntityStatusItem => ({
  type: 'backstage.io/catalog-processing',
  level: 'error',
  message: `InputError: ${message}`,
  error: { name: 'InputError', message, ...where, kind: 'validation' },
});

const flaggedItem = item(waitMessage, { file: '/srv/templates/pause.yaml', line: 21, field: 'spec.steps[1].action' });
const refusedItem = item('spec.type must be a non-empty string', { file: '/srv/templates/pause.yaml', line: 8, field: 'spec.type' });

describe('processingErrorItems and problemOfItem', () => {
  it('keeps processing errors only, and reads message, file, line and field from the error', () => {
    const entity: Entity = {
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: { name: 'pause' },
      status: {
        items: [flaggedItem, { type: 'atrium.dev/unresolved-relations', level: 'warning', message: 'group:default/nobody is not in the catalog' }],
      },
    };
    expect(processingErrorItems(entity)).toEqual([flaggedItem]);
    expect(problemOfItem(flaggedItem)).toEqual({ message: waitMessage, file: '/srv/templates/pause.yaml', line: 21, field: 'spec.steps[1].action' });
    // An item without an error object still says something.
    expect(problemOfItem({ type: 'backstage.io/catalog-processing', level: 'error', message: 'InputError: broken' })).toEqual({
      message: 'InputError: broken',
    });
  });
});

describe('judgeShownVersion', () => {
  it('flags the version shown when the catalog finds the same problems in it, with the place from the status item', () => {
    const verdict = judgeShownVersion([flaggedItem], [{ name: 'InputError', message: waitMessage, field: 'spec.steps[1].action' }]);
    expect(verdict).toEqual({
      state: 'flagged',
      problems: [{ message: waitMessage, file: '/srv/templates/pause.yaml', line: 21, field: 'spec.steps[1].action' }],
      refused: [],
    });
  });

  it('calls the errors a refused newer definition when the version shown passes', () => {
    expect(judgeShownVersion([refusedItem], [])).toEqual({ state: 'refused', refused: [problemOfItem(refusedItem)] });
  });

  it('tells both apart when a newer definition was refused and the version shown has problems of its own', () => {
    const verdict = judgeShownVersion([refusedItem], [{ message: waitMessage, field: 'spec.steps[1].action' }]);
    expect(verdict).toEqual({
      state: 'flagged',
      problems: [{ message: waitMessage, field: 'spec.steps[1].action' }],
      refused: [problemOfItem(refusedItem)],
    });
  });

  it('matches a stored message that carries a configuration hint after the checked one', () => {
    const hinted = item('file:/x is outside the allowed file roots (add its directory to backend.reading.fileRoots to allow it)', {
      field: 'spec.target',
      line: 3,
    });
    const verdict = judgeShownVersion([hinted], [{ message: 'file:/x is outside the allowed file roots', field: 'spec.target' }]);
    expect(verdict.state === 'flagged' && verdict.problems[0]?.line).toBe(3);
  });

  it('says nothing about which case it is when the catalog could not be asked', () => {
    expect(judgeShownVersion([flaggedItem, refusedItem], undefined)).toEqual({
      state: 'unknown',
      reported: [problemOfItem(flaggedItem), problemOfItem(refusedItem)],
    });
  });
});

describe('asDescriptor', () => {
  it('leaves out what the catalog adds', () => {
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'svc', uid: 'u1', etag: 'e1', annotations: { 'backstage.io/managed-by-location': 'file:/srv/catalog-info.yaml' } },
      spec: { type: 'service' },
      relations: [{ type: 'ownedBy', targetRef: 'group:default/a' }],
      status: { items: [flaggedItem] },
    };
    expect(asDescriptor(entity)).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'svc', annotations: { 'backstage.io/managed-by-location': 'file:/srv/catalog-info.yaml' } },
      spec: { type: 'service' },
    });
  });
});
