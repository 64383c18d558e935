import { isValidGitRef } from '@atrium/source-readers';
import { CORE_SCHEMA, loadAll, mergeTag } from 'js-yaml';

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}$/;

/**
 * A project's path as GitLab reports it must look like one before it reaches a URL, an entity
 * annotation or git: segments of letters, digits, `_`, `.`, `-`, never starting with `-` or
 * `.`, never `..`, no `.git`/`.atom` suffix trickery, at most 20 deep.
 */
export function checkProjectPath(pathWithNamespace: unknown): string | undefined {
  if (typeof pathWithNamespace !== 'string') return 'the project path is not a string';
  const parts = pathWithNamespace.split('/');
  if (parts.length < 2 || parts.length > 21) return `refused project path ${JSON.stringify(pathWithNamespace)}`;
  for (const p of parts) {
    if (!SEGMENT.test(p) || p.includes('..') || /\.(git|atom)$/i.test(p))
      return `refused project path ${JSON.stringify(pathWithNamespace)} (segment ${JSON.stringify(p)})`;
  }
  return undefined;
}

export function checkBranch(branch: unknown): string | undefined {
  if (typeof branch !== 'string' || !isValidGitRef(branch) || branch.startsWith('-')) return `refused branch name ${JSON.stringify(branch)}`;
  return undefined;
}

const SCHEMA = CORE_SCHEMA.withTags(mergeTag);
const MAX_NODES = 50_000;

/** Counts nodes, stopping early: aliases make shared references, which would expand when stored. */
function tooBig(value: unknown): boolean {
  let nodes = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (++nodes > MAX_NODES) return true;
    if (Array.isArray(v)) stack.push(...v);
    else if (v && typeof v === 'object') stack.push(...Object.values(v));
  }
  return false;
}

export interface ProjectInfo {
  id: number;
  pathWithNamespace: string;
  webUrl: string;
  branch: string;
}

/**
 * The entities of one descriptor file (multi-document YAML, plain data only), each annotated with
 * where it was read: `backstage.io/managed-by-location`/`-origin-location` (the file's URL on
 * GitLab), `backstage.io/source-location` and `gitlab.com/project-slug` when the file sets none.
 * A syntax error, a document that is not an object or an oversized one fails the whole file.
 */
export function parseDescriptor(text: string, project: ProjectInfo, catalogPath: string): { entities: Array<Record<string, unknown>>; error?: string } {
  let docs: unknown[];
  try {
    docs = loadAll(text, { schema: SCHEMA }) as unknown[];
  } catch (e) {
    return { entities: [], error: `${catalogPath} is not valid YAML: ${(e as Error).message.split('\n')[0]}` };
  }
  const entities: Array<Record<string, unknown>> = [];
  const fileUrl = `${project.webUrl}/-/blob/${project.branch}/${catalogPath}`;
  for (const [i, doc] of docs.entries()) {
    if (doc === null || doc === undefined) continue;
    if (typeof doc !== 'object' || Array.isArray(doc)) return { entities: [], error: `${catalogPath}: document ${i + 1} is not an object` };
    if (tooBig(doc)) return { entities: [], error: `${catalogPath}: document ${i + 1} is too large once aliases are expanded` };
    const entity = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
    const metadata = (entity['metadata'] && typeof entity['metadata'] === 'object' ? entity['metadata'] : (entity['metadata'] = {})) as Record<string, unknown>;
    const annotations = { ...((metadata['annotations'] as Record<string, string> | undefined) ?? {}) };
    annotations['backstage.io/managed-by-location'] = `url:${fileUrl}`;
    annotations['backstage.io/managed-by-origin-location'] = `url:${fileUrl}`;
    annotations['backstage.io/source-location'] ??= `url:${project.webUrl}/-/tree/${project.branch}/`;
    annotations['gitlab.com/project-slug'] ??= project.pathWithNamespace;
    metadata['annotations'] = annotations;
    entities.push(entity);
  }
  return { entities };
}
