import type { Entity } from '@atrium/catalog-model';
import { describe, expect, it } from 'vitest';
import { describedEntities } from '../register/describedEntities';
import { sourceLinks } from './EntityHeader';
import { statusProblems } from './EntityStatusBanner';

const entity = (annotations: Record<string, string>, extra: Partial<Entity> = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'x', annotations },
  ...extra,
});

describe('sourceLinks', () => {
  it('uses view-url, else a url source-location, and edit-url', () => {
    expect(sourceLinks(entity({ 'backstage.io/source-location': 'url:https://github.com/a/b/tree/main/' }))).toEqual({
      viewUrl: 'https://github.com/a/b/tree/main/',
    });
    expect(
      sourceLinks(
        entity({
          'backstage.io/view-url': 'https://github.com/a/b/blob/main/catalog-info.yaml',
          'backstage.io/edit-url': 'https://github.com/a/b/edit/main/catalog-info.yaml',
        }),
      ),
    ).toEqual({ viewUrl: 'https://github.com/a/b/blob/main/catalog-info.yaml', editUrl: 'https://github.com/a/b/edit/main/catalog-info.yaml' });
  });

  it('offers no link for file locations, rejected or non-web URLs', () => {
    expect(sourceLinks(entity({ 'backstage.io/source-location': 'file:/srv/x/' }))).toEqual({});
    expect(sourceLinks(entity({ 'backstage.io/view-url': 'javascript:alert(1)' }))).toEqual({});
    expect(sourceLinks(entity({ 'backstage.io/edit-url': 'https://backstage.io/annotation-rejected-for-security-reasons' }))).toEqual({});
  });
});

describe('statusProblems', () => {
  it('splits status items into errors and warnings', () => {
    const problems = statusProblems(
      entity(
        {},
        {
          status: {
            items: [
              { type: 'backstage.io/catalog-processing', level: 'error', message: 'InputError: bad' },
              { type: 'atrium.dev/unresolved-relations', level: 'warning', message: 'missing' },
              { type: 'x', level: 'info', message: 'fyi' },
            ],
          },
        },
      ),
    );
    expect(problems.errors.map((e) => e.message)).toEqual(['InputError: bad']);
    expect(problems.warnings.map((e) => e.message)).toEqual(['missing']);
  });
});

describe('describedEntities', () => {
  it('leaves out the generated Location entity of a registered location', () => {
    const list = [
      { apiVersion: 'v1', kind: 'Location', metadata: { name: 'generated-abc' } },
      { apiVersion: 'v1', kind: 'Location', metadata: { name: 'team-locations' } },
      { apiVersion: 'v1', kind: 'Component', metadata: { name: 'a' } },
    ] satisfies Entity[];
    expect(describedEntities(list).map((e) => e.metadata.name)).toEqual(['team-locations', 'a']);
  });
});
