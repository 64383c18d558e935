import { describe, expect, it } from 'vitest';
import { ownedComponentsExplorerPath, ownedComponentsQuery, taskTitle } from './myWorkApi';

describe('my work requests', () => {
  it("filters components by the explorer's owner relation, lower-cased", () => {
    expect(ownedComponentsQuery(['user:default/Alice', 'group:default/team-a'])).toEqual({
      $all: [{ kind: 'component' }, { relations: { $contains: { type: 'ownedBy', targetRef: { $in: ['user:default/alice', 'group:default/team-a'] } } } }],
    });
    expect(ownedComponentsExplorerPath(['user:default/Alice', 'group:default/team-a'])).toBe(
      '/catalog?owner=user%3Adefault%2Falice&owner=group%3Adefault%2Fteam-a',
    );
  });

  it("names a task by its template's title", () => {
    expect(
      taskTitle({
        id: 'abc',
        status: 'processing',
        createdAt: '',
        spec: { templateInfo: { entityRef: 'template:default/x', entity: { metadata: { title: 'New service' } } } },
      }),
    ).toBe('New service');
    expect(taskTitle({ id: 'abcdef0123', status: 'open', createdAt: '', templateRef: 'template:default/x' })).toBe('template:default/x');
  });
});
