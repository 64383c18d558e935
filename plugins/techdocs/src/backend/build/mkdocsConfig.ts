import { CORE_SCHEMA, defineMappingTag, defineScalarTag, defineSequenceTag, load } from 'js-yaml';
import { DocsSourceError, normalizeTreePath } from '../source/DocsSource.js';

/** One entry of mkdocs' `nav`, before its targets are matched to files. */
export type RawNavItem = { kind: 'target'; title?: string; target: string } | { kind: 'section'; title: string; children: RawNavItem[] };

export interface MkdocsConfig {
  /** Path of the config file in the tree, or null when there was none and defaults apply. */
  file: string | null;
  siteName: string;
  siteDescription: string | null;
  /** Folder of the Markdown files, relative to the docs root (`docs` by default). */
  docsDir: string;
  nav: RawNavItem[] | null;
  repoUrl: string | null;
  editUri: string | null;
}

/** An unknown custom tag (`!!python/name:…`, `!ENV`, `!relative`) — kept as a marker, never run. */
interface ForeignTag {
  $tag: string;
  value: unknown;
}

// mkdocs.yml files carry Python-specific tags; js-yaml would refuse them. They are loaded as
// inert values: nothing here evaluates them.
const foreignTags = ['tag:yaml.org,2002:python/', '!'].flatMap((prefix) => [
  defineScalarTag<ForeignTag>(prefix, {
    matchByTagPrefix: true,
    resolve: (source, _explicit, tag) => ({ $tag: tag, value: source }),
    identify: () => false,
  }),
  defineSequenceTag<unknown[], ForeignTag>(prefix, {
    matchByTagPrefix: true,
    create: () => [],
    addItem: (c, item) => {
      c.push(item);
    },
    finalize: (c) => ({ $tag: prefix, value: c }),
    identify: () => false,
  }),
  defineMappingTag<Record<string, unknown>, ForeignTag>(prefix, {
    matchByTagPrefix: true,
    create: () => ({}),
    addPair: (c, k, v) => {
      c[String(k)] = v;
      return '';
    },
    has: (c, k) => Object.prototype.hasOwnProperty.call(c, String(k)),
    keys: (r) => Object.keys(r.value as object),
    get: (r, k) => (r.value as Record<string, unknown>)[String(k)],
    finalize: (c) => ({ $tag: prefix, value: c }),
    identify: () => false,
  }),
]);
const MKDOCS_SCHEMA = CORE_SCHEMA.withTags(...foreignTags);

export const CONFIG_FILES = ['mkdocs.yaml', 'mkdocs.yml'];

/**
 * Finds and reads the site config. Like Backstage: `mkdocs.yaml` wins over `mkdocs.yml` (with a
 * warning); with neither, defaults apply (`docs_dir: docs`, site named after the entity).
 */
export function locateConfig(files: readonly string[], warn: (m: string) => void): string | null {
  const present = CONFIG_FILES.filter((f) => files.includes(f));
  if (present.length > 1) warn('Both mkdocs.yaml and mkdocs.yml exist; using mkdocs.yaml');
  return present[0] ?? null;
}

export function parseMkdocsConfig(file: string | null, text: string | null, defaults: { siteName: string }, warn: (m: string) => void): MkdocsConfig {
  const config: MkdocsConfig = {
    file,
    siteName: defaults.siteName,
    siteDescription: null,
    docsDir: 'docs',
    nav: null,
    repoUrl: null,
    editUri: null,
  };
  if (file === null || text === null) return config;
  let data: unknown;
  try {
    data = load(text, { schema: MKDOCS_SCHEMA });
  } catch (e) {
    throw new DocsSourceError('read', `${file} is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (data === null || data === undefined) return config;
  if (typeof data !== 'object' || Array.isArray(data)) throw new DocsSourceError('read', `${file} must be a YAML mapping`);
  const doc = data as Record<string, unknown>;
  if (doc['INHERIT'] !== undefined) warn(`${file}: INHERIT is not supported; the inherited settings are ignored`);
  const str = (key: string): string | null => {
    const v = doc[key];
    if (v === undefined || v === null) return null;
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    warn(`${file}: ${key} should be a string; ignored`);
    return null;
  };
  config.siteName = str('site_name')?.trim() || defaults.siteName;
  if (str('site_name') === null) warn(`${file}: site_name is missing; using "${config.siteName}"`);
  config.siteDescription = str('site_description');
  config.repoUrl = str('repo_url');
  config.editUri = str('edit_uri');
  const docsDir = str('docs_dir');
  if (docsDir !== null) {
    try {
      config.docsDir = normalizeTreePath(docsDir);
    } catch {
      throw new DocsSourceError('security', `${file}: docs_dir ${JSON.stringify(docsDir)} points outside the repository`);
    }
  }
  if (doc['nav'] !== undefined && doc['nav'] !== null) config.nav = parseNav(doc['nav'], file, warn);
  return config;
}

function parseNav(value: unknown, file: string, warn: (m: string) => void): RawNavItem[] {
  if (!Array.isArray(value)) {
    warn(`${file}: nav must be a list; building the nav from the files instead`);
    return [];
  }
  const items: RawNavItem[] = [];
  for (const entry of value) {
    if (typeof entry === 'string') {
      items.push({ kind: 'target', target: entry.trim() });
    } else if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
      const pairs = Object.entries(entry as Record<string, unknown>);
      if (pairs.length !== 1) {
        warn(`${file}: nav entry ${JSON.stringify(entry)} should have exactly one title; ignored`);
        continue;
      }
      const [title, target] = pairs[0]!;
      if (typeof target === 'string') items.push({ kind: 'target', title, target: target.trim() });
      else if (Array.isArray(target)) items.push({ kind: 'section', title, children: parseNav(target, file, warn) });
      else warn(`${file}: nav entry "${title}" has no page, link or section; ignored`);
    } else {
      warn(`${file}: nav entry ${JSON.stringify(entry)} is not a page, link or section; ignored`);
    }
  }
  return items;
}
