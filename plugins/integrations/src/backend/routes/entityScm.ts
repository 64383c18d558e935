import { defineRoute, HttpError, NotFoundError, type RouteDefinition } from '@atrium/backend-plugin-api';
import { stringifyEntityRef } from '@atrium/catalog-model';
import type { EntityScmSummary } from '../../common/index.js';
import type { IntegrationRouteServices } from '../modules.js';
import { GITHUB_SLUG_ANNOTATION, GITLAB_SLUG_ANNOTATION, InvalidScmAnnotationError, scmProjectOf, type ScmProject } from '../scm/annotations.js';

const segment = { type: 'string', minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' };
const params = {
  type: 'object',
  required: ['kind', 'namespace', 'name'],
  additionalProperties: false,
  properties: { kind: { ...segment, maxLength: 63 }, namespace: { ...segment, maxLength: 63 }, name: segment },
} as const;

interface EntityParams {
  kind: string;
  namespace: string;
  name: string;
}

const runSchema = {
  type: 'object',
  required: ['id', 'name', 'state', 'detail', 'branch', 'createdAt', 'url'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    state: { type: 'string', enum: ['success', 'failure', 'running', 'queued', 'cancelled', 'skipped', 'other'] },
    detail: { type: 'string' },
    branch: { type: 'string', nullable: true },
    createdAt: { type: 'string' },
    url: { type: 'string' },
  },
};
const changeSchema = {
  type: 'object',
  required: ['id', 'reference', 'title', 'author', 'draft', 'createdAt', 'url'],
  properties: {
    id: { type: 'string' },
    reference: { type: 'string' },
    title: { type: 'string' },
    author: { type: 'string' },
    draft: { type: 'boolean' },
    createdAt: { type: 'string' },
    url: { type: 'string' },
  },
};
const commitSchema = {
  type: 'object',
  required: ['sha', 'title', 'message', 'author', 'committedAt', 'url'],
  properties: {
    sha: { type: 'string' },
    title: { type: 'string' },
    message: { type: 'string' },
    author: { type: 'string' },
    committedAt: { type: 'string' },
    url: { type: 'string' },
  },
};

/** One part of the card: `{ status: 'ok', data }`, or `{ status: 'error', error }` when the provider failed on it. */
const part = (data: Record<string, unknown>, description: string) => ({
  description,
  oneOf: [
    { type: 'object', required: ['status', 'data'], properties: { status: { type: 'string', enum: ['ok'] }, data } },
    {
      type: 'object',
      required: ['status', 'error'],
      properties: {
        status: { type: 'string', enum: ['error'] },
        error: {
          type: 'object',
          required: ['name', 'message'],
          properties: {
            name: { type: 'string' },
            message: { type: 'string', description: 'What the provider answered, e.g. "GitHub (github.com) answered 500 for acme/orders (Server Error)"' },
            upstreamStatus: { type: 'integer', description: "The provider's HTTP status, when it answered" },
          },
        },
      },
    },
  ],
});

/**
 * GET /entity/:kind/:namespace/:name/scm: the latest CI runs, open pull/merge requests and the
 * default branch's last commit of the repository an entity names (`github.com/project-slug` or
 * `gitlab.com/project-slug`). The entity is read as the caller: one it may not see is a 404 like a
 * missing one. The three parts are read separately and each has its own status, so one the
 * provider fails on (its error named in the part) leaves the others. Errors say what to fix: no
 * annotation (404), a bad annotation or no integration for the host (422, naming the config key),
 * the provider failing on all three parts (502, naming what it answered).
 */
export const entityScmRoute = defineRoute<IntegrationRouteServices, EntityParams, { refresh: boolean }>({
  method: 'get',
  path: '/entity/:kind/:namespace/:name/scm',
  params,
  query: {
    type: 'object',
    additionalProperties: false,
    properties: { refresh: { type: 'boolean', default: false, description: 'Ask the provider now instead of serving the answer kept for 60 s' } },
  },
  // The entry check; the entity itself is then read as the caller (a hidden one is a 404).
  permission: 'catalog.entity.read',
  summary: "An entity's repository: latest CI runs, open pull or merge requests, last commit",
  response: {
    description: 'What the repository shows now, each part with its own status (complete answers are kept 60 s per replica)',
    schema: {
      type: 'object',
      required: ['provider', 'host', 'project', 'projectUrl', 'runs', 'changes', 'lastCommit', 'fetchedAt'],
      properties: {
        provider: { type: 'string', enum: ['github', 'gitlab'] },
        host: { type: 'string' },
        project: { type: 'string' },
        projectUrl: { type: 'string' },
        runs: part({ type: 'array', items: runSchema }, 'The latest CI runs (GitHub Actions workflow runs, GitLab pipelines), newest first'),
        changes: part({ type: 'array', items: changeSchema }, 'The open pull or merge requests, newest first'),
        lastCommit: part({ ...commitSchema, nullable: true }, 'The last commit on the default branch (null when it has none)'),
        fetchedAt: { type: 'string' },
      },
    },
  },
  responses: {
    '404': { description: 'No such entity (or hidden from the caller), or it has neither annotation' },
    '422': { description: 'The annotation is not a project path, or no integration covers its host (the message names the config key)' },
    '502': { description: 'GitHub or GitLab failed or refused on every part (the message names its status)' },
  },
  handler: async ({ params: { kind, namespace, name }, query, caller, res }, services): Promise<EntityScmSummary> => {
    const ref = stringifyEntityRef({ kind, namespace, name });
    const [entity] = await services.catalog.getEntitiesByRefs([ref], { caller });
    if (!entity) throw new NotFoundError(`Entity ${ref} is not in the catalog`);
    let project: ScmProject | undefined;
    try {
      project = scmProjectOf(entity);
    } catch (e) {
      if (e instanceof InvalidScmAnnotationError) throw new HttpError('InvalidAnnotationError', 422, `${ref}: ${e.message}`);
      throw e;
    }
    if (!project) {
      throw new NotFoundError(
        `${ref} names no repository: add the annotation ${GITHUB_SLUG_ANNOTATION} (owner/repo) or ${GITLAB_SLUG_ANNOTATION} (group/project)`,
      );
    }
    const summary = await services.scm.summary(project, { refresh: query.refresh });
    // The answer is the caller's (its visibility was checked): no shared caches.
    res.setHeader('cache-control', 'private, max-age=0');
    return summary;
  },
});

export const entityScmRoutes = [entityScmRoute] as RouteDefinition<IntegrationRouteServices>[];
