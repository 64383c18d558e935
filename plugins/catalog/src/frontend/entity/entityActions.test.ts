import type { Contributed, EntityActionExtension, EntityLike } from '@atrium/frontend-plugin-api';
import { describe, expect, it, vi } from 'vitest';
import { resolveActionHref } from './entityActions';

const template: EntityLike = { apiVersion: 'scaffolder.backstage.io/v1beta3', kind: 'Template', metadata: { name: 'node-service' } };
const action = (href: (e: EntityLike) => string): Contributed<EntityActionExtension> => ({ id: 'a', pluginId: 'p', title: 'A', href });

describe('resolveActionHref', () => {
  it('keeps app paths and http(s) URLs', () => {
    expect(
      resolveActionHref(
        action((e) => `/create/templates/default/${e.metadata.name}`),
        template,
      ),
    ).toEqual({
      kind: 'app',
      to: '/create/templates/default/node-service',
    });
    expect(
      resolveActionHref(
        action(() => 'https://ci.example.com/x'),
        template,
      ),
    ).toEqual({ kind: 'external', href: 'https://ci.example.com/x' });
  });

  it('refuses other schemes, protocol-relative and relative URLs', () => {
    for (const href of ['javascript:alert(1)', '//evil.example', 'create/x', 'data:text/html,x']) {
      expect(
        resolveActionHref(
          action(() => href),
          template,
        ),
      ).toBeUndefined();
    }
  });

  it('leaves out an action whose href throws', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(
      resolveActionHref(
        action(() => {
          throw new Error('boom');
        }),
        template,
      ),
    ).toBeUndefined();
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
  });
});
