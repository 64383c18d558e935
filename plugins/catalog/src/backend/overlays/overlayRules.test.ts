import type { Entity } from '@atrium/catalog-model';
import { describe, expect, it } from 'vitest';
import { ENTITY_STATUS_OVERLAY_TYPE } from '../../common/index.js';
import { buildFinalEntity } from '../stitching/buildFinalEntity.js';
import { applyOverlayChanges, mergeOverlays, overlayChangeProblems, overlaySourceProblem, sourceConflicts } from './overlayRules.js';

const processed: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'svc', namespace: 'default', annotations: { 'example.com/tier': 'gold' }, labels: { tier: 'gold' } },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};
const stitch = (overlays: Parameters<typeof buildFinalEntity>[0]['overlays'], orphan = false) =>
  buildFinalEntity({ uid: 'u1', processed, relations: [], errors: [], orphan, unresolvedTargets: [], overlays });

describe('metadata overlay rules', () => {
  it('checks keys and values with the catalog model, refuses the catalog-only annotations, empty and oversized changes', () => {
    expect(overlayChangeProblems({ annotations: { 'example.com/a': 'any text: fine', 'b.io/gone': null }, labels: { 'team.example.com/x': 'ok_1' } })).toEqual(
      [],
    );
    expect(overlayChangeProblems({ annotations: { 'not a key': 'x' } })).toEqual([expect.stringMatching(/annotation "not a key": not a valid key/)]);
    expect(overlayChangeProblems({ labels: { tier: 'two words' } })).toEqual([expect.stringMatching(/label "tier": the value must be/)]);
    expect(overlayChangeProblems({ labels: { tier: 'x'.repeat(64) } })).toHaveLength(1);
    expect(overlayChangeProblems({ annotations: { 'backstage.io/orphan': 'true' } })).toEqual([expect.stringMatching(/only the catalog sets it/)]);
    expect(overlayChangeProblems({ annotations: { 'example.com/a': 'nul\u0000' } })).toEqual([expect.stringMatching(/NUL/)]);
    expect(overlayChangeProblems({ annotations: { 'example.com/a': 5 as unknown as string } })).toEqual([expect.stringMatching(/must be a string/)]);
    expect(overlayChangeProblems({})).toEqual([expect.stringMatching(/nothing to change/)]);
    expect(overlayChangeProblems({ labels: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, 'v'])) })).toEqual([
      expect.stringMatching(/at most 100 keys/),
    ]);
    expect(overlaySourceProblem('automation:ops.tier')).toBeUndefined();
    expect(overlaySourceProblem('has space')).toMatch(/must be/);
    expect(overlaySourceProblem('')).toMatch(/must be/);
  });

  it("names the keys the entity's source decides: set to another value, or removed", () => {
    expect(sourceConflicts(processed, { annotations: { 'example.com/tier': 'gold', 'example.com/new': 'x' } })).toEqual([]);
    expect(sourceConflicts(processed, { annotations: { 'example.com/tier': 'silver' }, labels: { tier: null, other: null } })).toEqual([
      'annotation example.com/tier is set to "gold" by the source',
      'label tier cannot be removed: the source sets it',
    ]);
  });

  it('applies a change: values set, null removes', () => {
    expect(applyOverlayChanges({ annotations: { a: '1', b: '2' }, labels: {} }, { annotations: { a: null, c: '3' }, labels: { l: 'x' } })).toEqual({
      annotations: { b: '2', c: '3' },
      labels: { l: 'x' },
    });
  });

  it('merges overlays under the source: its keys win, a differing overlay value is a conflict, the overlay updated last wins among overlays', () => {
    const merged = mergeOverlays(processed.metadata, [
      { source: 'old', annotations: { 'example.com/oncall': 'ana', 'example.com/tier': 'silver' }, labels: { team: 'a' } },
      { source: 'new', annotations: { 'example.com/oncall': 'bob', 'backstage.io/orphan': 'true' }, labels: { tier: 'gold' } },
    ]);
    expect(merged.annotations).toEqual({ 'example.com/tier': 'gold', 'example.com/oncall': 'bob' });
    expect(merged.labels).toEqual({ tier: 'gold', team: 'a' });
    expect(merged.conflicts).toEqual([`annotation example.com/tier: old sets "silver", the entity's source "gold" (the source wins)`]);
    // No overlays: the source's own maps, untouched.
    expect(mergeOverlays(processed.metadata, []).annotations).toBe(processed.metadata.annotations);
  });
});

describe('buildFinalEntity with overlays', () => {
  it('serves overlay keys after the source keys, warns about shadowed ones, and the etag follows the values only', () => {
    const plain = stitch(null);
    expect(plain).toEqual(stitch([]));
    const a = { source: 'a', annotations: { 'example.com/z': '1' }, labels: {} };
    const b = { source: 'b', annotations: { 'example.com/m': '2' }, labels: { team: 'x' } };
    const final = stitch([a, b]);
    expect(Object.keys(final.metadata.annotations ?? {})).toEqual(['example.com/tier', 'example.com/m', 'example.com/z']);
    expect(final.metadata.labels).toEqual({ tier: 'gold', team: 'x' });
    expect(final.status).toBeUndefined();
    expect(final.metadata.etag).not.toBe(plain.metadata.etag);
    // The same values from overlays in the other order: the same entity and etag.
    expect(stitch([b, a])).toEqual(final);

    const shadowed = stitch([{ source: 'automation:x', annotations: { 'example.com/tier': 'silver' }, labels: {} }]);
    expect(shadowed.metadata.annotations).toEqual({ 'example.com/tier': 'gold' });
    expect(shadowed.status?.items).toEqual([
      { type: ENTITY_STATUS_OVERLAY_TYPE, level: 'warning', message: expect.stringContaining('example.com/tier: automation:x sets "silver"') },
    ]);

    // The orphan annotation is the catalog's, on top of the overlay.
    const orphan = stitch([a], true);
    expect(orphan.metadata.annotations).toMatchObject({ 'example.com/z': '1', 'backstage.io/orphan': 'true' });
    // The processed entity itself is never changed.
    expect(processed.metadata.annotations).toEqual({ 'example.com/tier': 'gold' });
  });
});
