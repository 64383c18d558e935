import type { Entity } from '@atrium/catalog-model';
import { describe, expect, it } from 'vitest';
import { buildFinalEntity } from './buildFinalEntity.js';
import { buildFullTextDocument, buildSearchRows, fieldTag } from './searchRows.js';

const processed: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'Svc', namespace: 'default', tags: ['java', 'pci'], description: 'Card Payments', annotations: { 'a.io/x': 'Y' } },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production', long: 'x'.repeat(300) },
};

describe('buildFinalEntity', () => {
  it('adds sorted distinct relations, uid, status items and an etag that only changes with content', () => {
    const input = {
      uid: 'u1',
      processed,
      relations: [
        { type: 'ownedBy', targetRef: 'group:default/team-a' },
        { type: 'dependsOn', targetRef: 'component:default/b' },
        { type: 'ownedBy', targetRef: 'group:default/team-a' },
      ],
      errors: [],
      orphan: false,
      unresolvedTargets: ['component:default/b'],
    };
    const final = buildFinalEntity(input);
    expect(final.relations).toEqual([
      { type: 'dependsOn', targetRef: 'component:default/b' },
      { type: 'ownedBy', targetRef: 'group:default/team-a' },
    ]);
    expect(final.metadata.uid).toBe('u1');
    expect(final.status?.items?.[0]).toMatchObject({ level: 'warning', message: expect.stringContaining('component:default/b') });
    const reordered = buildFinalEntity({ ...input, relations: [...input.relations].reverse(), processed: JSON.parse(JSON.stringify(processed)) });
    expect(reordered.metadata.etag).toBe(final.metadata.etag);
    const orphan = buildFinalEntity({ ...input, orphan: true });
    expect(orphan.metadata.annotations?.['backstage.io/orphan']).toBe('true');
    expect(orphan.metadata.etag).not.toBe(final.metadata.etag);
  });
});

describe('buildSearchRows', () => {
  it('flattens like Backstage: lower-cased keys and values, arrays under one key, long values null', () => {
    const final = buildFinalEntity({
      uid: 'u1',
      processed,
      relations: [{ type: 'ownedBy', targetRef: 'group:default/team-a' }],
      errors: [],
      orphan: false,
      unresolvedTargets: [],
    });
    const rows = buildSearchRows(final);
    const get = (key: string) => rows.filter((r) => r.key === key).map((r) => r.value);
    expect(get('metadata.tags')).toEqual(['java', 'pci']);
    expect(get('metadata.name')).toEqual(['svc']);
    expect(rows.find((r) => r.key === 'metadata.name')?.original).toBe('Svc');
    expect(get('metadata.namespace')).toEqual(['default']);
    expect(get('metadata.annotations.a.io/x')).toEqual(['y']);
    expect(get('relations.ownedby')).toEqual(['group:default/team-a']);
    expect(get('spec.long')).toEqual([null]);
    expect(get('metadata.uid')).toEqual(['u1']);
    expect(get('metadata.etag')).toEqual([]);
    const fts = buildFullTextDocument(final, rows);
    expect(fts).toContain('payments');
    expect(fts).toContain(`${fieldTag('metadata.description')}|payments`);
    expect(fts.filter((l) => l.startsWith(fieldTag('metadata.uid')))).toEqual([]);
    expect(fts.every((l) => /^(~[0-9a-f]{8}[|])?[\p{L}\p{N}]+$/u.test(l))).toBe(true);
  });
});
