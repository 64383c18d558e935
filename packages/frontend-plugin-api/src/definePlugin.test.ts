import { describe, expect, it } from 'vitest';
import { definePlugin } from './definePlugin';
import { createExtensionRegistry } from './registry';

const page = () => Promise.resolve({ default: () => null });

describe('definePlugin', () => {
  it('fills in defaults', () => {
    const plugin = definePlugin({ id: 'docs' });
    expect(plugin).toMatchObject({ id: 'docs', title: 'docs', routes: [], nav: [], homeWidgets: [] });
  });

  it('rejects malformed declarations with every problem listed', () => {
    expect(() =>
      definePlugin({
        id: 'Bad_Id',
        routes: [{ path: 'relative', loader: page }],
        homeWidgets: [
          { id: 'w', title: 'W', loader: page },
          { id: 'w', title: 'W again', element: 'x' },
        ],
      }),
    ).toThrow(/id must start.*route path "relative".*home widget id "w" is used twice/);
  });

  it('requires exactly one of element and loader', () => {
    const both = { path: '/x', element: 'x', loader: page } as unknown as { path: string; element: string };
    expect(() => definePlugin({ id: 'x', routes: [both] })).toThrow(/exactly one of "element" or "loader"/);
  });
});

describe('createExtensionRegistry', () => {
  const a = definePlugin({
    id: 'a',
    routes: [{ path: '/a', element: 'A' }],
    nav: [
      { title: 'Zeta', path: '/z' },
      { title: 'Alpha', path: '/a', order: 900 },
    ],
    homeWidgets: [{ id: 'w', title: 'W', element: 'w' }],
  });
  const b = definePlugin({ id: 'b', routes: [{ path: '/a', element: 'B' }], nav: [{ title: 'Beta', path: '/b', order: 1 }] });

  it('tags extensions with their plugin and orders the nav', () => {
    const registry = createExtensionRegistry([a, b]);
    expect(registry.nav.map((n) => `${n.pluginId}:${n.title}`)).toEqual(['b:Beta', 'a:Zeta', 'a:Alpha']);
    expect(registry.homeWidgets[0]).toMatchObject({ id: 'w', pluginId: 'a' });
  });

  it('keeps the first of two conflicting routes and reports the second', () => {
    const registry = createExtensionRegistry([a, b]);
    expect(registry.routes.map((r) => r.pluginId)).toEqual(['a']);
    expect(registry.problems).toEqual(['Route "/a" of plugin "b" is already provided by plugin "a"; it was ignored.']);
  });

  it('ignores a plugin installed twice', () => {
    const registry = createExtensionRegistry([a, a]);
    expect(registry.plugins).toHaveLength(1);
    expect(registry.problems[0]).toMatch(/installed twice/);
  });
});

describe('entity actions', () => {
  const launch = { id: 'launch', title: 'Launch', href: (e: { metadata: { name: string } }) => `/create/${e.metadata.name}` };

  it('accepts link actions and content actions, and orders them across plugins', () => {
    const scaffolder = definePlugin({ id: 'scaffolder', entityActions: [{ ...launch, primary: true }] });
    const scorecards = definePlugin({
      id: 'scorecards',
      entityActions: [
        { id: 'results', title: 'Results', href: () => '/scorecards/x', order: 100 },
        { id: 'menu', element: 'menu' },
      ],
    });
    const registry = createExtensionRegistry([scaffolder, scorecards]);
    expect(registry.entityActions.map((a) => `${a.pluginId}:${a.id}`)).toEqual(['scorecards:results', 'scaffolder:launch', 'scorecards:menu']);
  });

  it('rejects an action without a title, with both href and content, or with neither', () => {
    const noTitle = { id: 'a', title: ' ', href: () => '/' };
    const both = { id: 'b', title: 'B', href: () => '/', element: 'x' } as unknown as typeof launch;
    const neither = { id: 'c' } as unknown as typeof launch;
    expect(() => definePlugin({ id: 'x', entityActions: [noTitle, both, neither, launch, launch] })).toThrow(
      /entity action id "launch" is used twice.*entity action "a" needs a "title".*entity action "b" needs either "href" or content.*entity action "c" needs exactly one of "element" or "loader"/,
    );
  });
});
