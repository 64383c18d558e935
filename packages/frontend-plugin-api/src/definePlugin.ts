import type {
  EntityActionExtension,
  EntityCardExtension,
  EntityTabExtension,
  ExtensionContent,
  HomeWidgetExtension,
  NavExtension,
  RouteExtension,
} from './extensions';

export interface FrontendPluginOptions {
  /** Matches the backend plugin's id, e.g. `catalog`. Lowercase letters, digits and dashes. */
  id: string;
  /** Human-readable name, shown in error messages and admin pages. */
  title?: string;
  routes?: RouteExtension[];
  nav?: NavExtension[];
  entityTabs?: EntityTabExtension[];
  entityCards?: EntityCardExtension[];
  /** Buttons in the entity page's header, e.g. "Launch" on Template entities. */
  entityActions?: EntityActionExtension[];
  homeWidgets?: HomeWidgetExtension[];
}

export interface FrontendPlugin {
  readonly id: string;
  readonly title: string;
  readonly routes: readonly RouteExtension[];
  readonly nav: readonly NavExtension[];
  readonly entityTabs: readonly EntityTabExtension[];
  readonly entityCards: readonly EntityCardExtension[];
  readonly entityActions: readonly EntityActionExtension[];
  readonly homeWidgets: readonly HomeWidgetExtension[];
}

const PLUGIN_ID = /^[a-z][a-z0-9-]*$/;

/**
 * Declares a frontend plugin. Mistakes in the declaration throw here, at import time,
 * so they show up on the first page load instead of as a half-working page.
 */
export function definePlugin(options: FrontendPluginOptions): FrontendPlugin {
  const problems = validatePluginOptions(options);
  if (problems.length > 0) {
    throw new Error(`Invalid frontend plugin "${options.id}": ${problems.join('; ')}`);
  }
  return Object.freeze({
    id: options.id,
    title: options.title ?? options.id,
    routes: Object.freeze([...(options.routes ?? [])]),
    nav: Object.freeze([...(options.nav ?? [])]),
    entityTabs: Object.freeze([...(options.entityTabs ?? [])]),
    entityCards: Object.freeze([...(options.entityCards ?? [])]),
    entityActions: Object.freeze([...(options.entityActions ?? [])]),
    homeWidgets: Object.freeze([...(options.homeWidgets ?? [])]),
  });
}

function validatePluginOptions(options: FrontendPluginOptions): string[] {
  const problems: string[] = [];
  if (!PLUGIN_ID.test(options.id)) {
    problems.push('id must start with a lowercase letter and contain only a-z, 0-9 and "-"');
  }
  for (const route of options.routes ?? []) {
    if (!route.path.startsWith('/')) problems.push(`route path "${route.path}" must start with "/"`);
    problems.push(...contentProblems(`route "${route.path}"`, route));
  }
  for (const item of options.nav ?? []) {
    if (!item.path.startsWith('/')) problems.push(`nav path "${item.path}" must start with "/"`);
  }
  const keyed: Array<[string, ReadonlyArray<{ id: string } & ExtensionContent>]> = [
    ['entity tab', options.entityTabs ?? []],
    ['entity card', options.entityCards ?? []],
    ['home widget', options.homeWidgets ?? []],
  ];
  for (const [label, extensions] of keyed) {
    problems.push(...duplicateIdProblems(label, extensions));
    for (const extension of extensions) {
      problems.push(...contentProblems(`${label} "${extension.id}"`, extension));
    }
  }
  problems.push(...duplicateIdProblems('entity action', options.entityActions ?? []));
  for (const action of options.entityActions ?? []) {
    problems.push(...actionProblems(action));
  }
  return problems;
}

function actionProblems(action: EntityActionExtension): string[] {
  const label = `entity action "${action.id}"`;
  if (typeof action.href === 'function') {
    const extra = action.element !== undefined || action.loader !== undefined;
    const problems = extra ? [`${label} needs either "href" or content ("element"/"loader"), not both`] : [];
    if (!action.title?.trim()) problems.push(`${label} needs a "title"`);
    return problems;
  }
  if (action.href !== undefined) return [`${label}: "href" must be a function of the entity`];
  return contentProblems(label, action as ExtensionContent);
}

function contentProblems(label: string, content: ExtensionContent): string[] {
  const hasElement = content.element !== undefined;
  const hasLoader = typeof content.loader === 'function';
  return hasElement === hasLoader ? [`${label} needs exactly one of "element" or "loader"`] : [];
}

function duplicateIdProblems(label: string, extensions: ReadonlyArray<{ id: string }>): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const { id } of extensions) {
    if (seen.has(id)) problems.push(`${label} id "${id}" is used twice`);
    seen.add(id);
  }
  return problems;
}
